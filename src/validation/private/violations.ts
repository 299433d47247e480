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
 * The guard's findings as validation violations, one per finding (a binding with the permissions and
 * grants its integration brought: each is a violating resource), limited to the templates the plugin
 * was asked about. Every finding the aspect path already reported on the resource is left out (a user
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
    const templatePath = templatePathOf(Stack.of(construct));
    if (wanted.size > 0 && !wanted.has(path.resolve(templatePath))) {
      continue;
    }
    const related = (finding.relatedResources ?? []).flatMap((r) => {
      const resource = byPath.get(r.resourcePath);
      return resource ? [violatingResource(resource, r.propertyPath)] : [];
    });
    const severity = finding.suppressed ? 'info'
      : ALWAYS_WARNINGS.has(finding.ruleId) || failureMode === FailureMode.WARNING ? 'warning' : 'error';
    violations.push({
      ruleName: finding.ruleId,
      description: finding.suppressed ? `[suppressed: ${finding.suppressionReason}] ${finding.message}` : finding.message,
      severity,
      violatingResources: [violatingResource(construct, finding.propertyPath), ...related],
      ...(finding.suppressed ? { ruleMetadata: { suppressed: 'true', suppressionReason: finding.suppressionReason ?? '' } } : {}),
    });
  }
  return violations;
}

/** A resource of a finding, located in its own stack's template. */
function violatingResource(construct: IConstruct, propertyPath: string): SafeLambdaViolatingResource {
  const stack = Stack.of(construct);
  return {
    resourceLogicalId: CfnResource.isCfnResource(construct) ? stack.resolve(construct.logicalId) as string : '',
    templatePath: templatePathOf(stack),
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
