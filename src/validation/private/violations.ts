import * as path from 'path';
import { CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FailureMode } from '../../guard/failure-mode';
import { Finding } from '../../guard/finding';
import { GuardRules } from '../../guard/guard-rules';
import { SafeLambdaViolatingResource, SafeLambdaViolation } from '../validation-report';

/** Metadata types under which the aspect path reports a finding it did not turn into an error. */
const REPORTED_METADATA = new Set(['aws:cdk:warning', 'aws:cdk:info', 'aws:cdk:error']);

/** Rules that are never errors: the guard's own (stale suppressions, its failures) and `$LATEST.PUBLISHED`. */
const ALWAYS_WARNINGS = new Set<string>([GuardRules.UNUSED_SUPPRESSION, GuardRules.GUARD_INTERNAL_ERROR, GuardRules.LATEST_PUBLISHED]);

/**
 * The guard's findings as validation violations, one per finding, limited to the templates the plugin
 * was asked about. A binding and the permissions and grants its integration brought are one violation
 * with ONE violating resource, the binding: the description and `ruleMetadata.relatedResources` name the
 * others (2.278's formatter prints a violation once per violating resource, so a finding with three
 * resources printed its description three times; issue #17 §5). Every finding the aspect path already reported on the resource is left out (a user
 * never gets a finding twice).
 *
 * A suppressed (or acknowledged) finding is listed with severity `info`, its description prefixed with
 * `[suppressed: <reason>]` as the aspect's info annotation is, and `ruleMetadata` `suppressed` and
 * `suppressionReason`: the report has no severity of its own for it, and `info` never fails it. Where
 * the suppression is a `Validations.of(scope).acknowledge()`, the newest aws-cdk-lib moves it to the
 * report's suppressed violations itself.
 */
export function toViolations(root: IConstruct, findings: Finding[], templatePaths: string[], failureMode: FailureMode,
  owns: (resource: IConstruct) => boolean): SafeLambdaViolation[] {
  const byPath = new Map<string, IConstruct>();
  for (const node of root.node.findAll()) {
    byPath.set(node.node.path, node);
  }
  const wanted = new Set(templatePaths.map((p) => path.resolve(p)));
  const violations: SafeLambdaViolation[] = [];
  for (const finding of findings) {
    const construct = byPath.get(finding.resourcePath);
    if (!construct || !owns(construct) || reportedByAspect(construct, finding)) {
      continue;
    }
    // An acknowledgement on the App or a Stage is in no template.
    const templatePath = stackOf(construct) ? templatePathOf(stackOf(construct)!) : '';
    if (templatePath && wanted.size > 0 && !wanted.has(path.resolve(templatePath))) {
      continue;
    }
    const related = (finding.relatedResources ?? []).map((r) => `${r.resourcePath} (${r.propertyPath}, ${r.ruleId})`);
    const metadata: { [key: string]: string } = {
      ...(finding.suppressed ? { suppressed: 'true', suppressionReason: finding.suppressionReason ?? '' } : {}),
      ...(related.length > 0 ? { relatedResources: related.join('; ') } : {}),
    };
    const severity = finding.suppressed ? 'info'
      : ALWAYS_WARNINGS.has(finding.ruleId) || failureMode === FailureMode.WARNING ? 'warning' : 'error';
    violations.push({
      ruleName: finding.ruleId,
      description: finding.suppressed ? `[suppressed: ${finding.suppressionReason}] ${finding.message}` : finding.message,
      severity,
      violatingResources: [violatingResource(construct, finding.propertyPath)],
      ...(Object.keys(metadata).length > 0 ? { ruleMetadata: metadata } : {}),
    });
  }
  return violations;
}

/** A resource of a finding, located in its own stack's template. */
function violatingResource(construct: IConstruct, propertyPath: string): SafeLambdaViolatingResource {
  const stack = stackOf(construct);
  return {
    resourceLogicalId: stack && CfnResource.isCfnResource(construct) ? stack.resolve(construct.logicalId) as string : '',
    templatePath: stack ? templatePathOf(stack) : '',
    constructPath: construct.node.path,
    locations: propertyPath ? [toLocation(propertyPath)] : [],
  };
}

/** `Properties.Targets[0].Arn` as a report location: `Properties/Targets/0/Arn`. */
export function toLocation(propertyPath: string): string {
  return propertyPath.replace(/\[(\d+)\]/g, '.$1').split('.').filter((p) => p !== '').join('/');
}

function templatePathOf(stack: Stack): string {
  const stage = Stage.of(stack);
  return path.join(stage?.outdir ?? '', stack.templateFile);
}

function reportedByAspect(construct: IConstruct, finding: Finding): boolean {
  return construct.node.metadata.some((m) => REPORTED_METADATA.has(m.type) && typeof m.data === 'string' && m.data.includes(finding.message));
}

function stackOf(construct: IConstruct): Stack | undefined {
  for (let node: IConstruct | undefined = construct; node; node = node.node.scope) {
    if (Stack.isStack(node)) {
      return node;
    }
  }
  return undefined;
}
