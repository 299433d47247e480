import * as path from 'path';
import { CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FailureMode } from '../../guard/failure-mode';
import { Finding } from '../../guard/finding';
import { GuardRules } from '../../guard/guard-rules';
import { SafeLambdaViolation } from '../validation-report';

/** Metadata types under which the aspect path reports a finding it did not turn into an error. */
const REPORTED_METADATA = new Set(['aws:cdk:warning', 'aws:cdk:info', 'aws:cdk:error']);

/** Rules that are never errors: the guard's own (stale suppressions, its failures) and `$LATEST.PUBLISHED`. */
const ALWAYS_WARNINGS = new Set<string>([GuardRules.UNUSED_SUPPRESSION, GuardRules.GUARD_INTERNAL_ERROR, GuardRules.LATEST_PUBLISHED]);

/**
 * The guard's findings as validation violations, one per finding, limited to the templates the
 * plugin was asked about. Suppressed findings are left out (the guard's own suppressions), and so is
 * every finding the aspect path already reported on the resource (a user never gets a finding twice).
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
    if (finding.suppressed || !construct || !owns(construct) || reportedByAspect(construct, finding)) {
      continue;
    }
    const stack = Stack.of(construct);
    const templatePath = templatePathOf(stack);
    if (wanted.size > 0 && !wanted.has(path.resolve(templatePath))) {
      continue;
    }
    const logicalId = CfnResource.isCfnResource(construct) ? stack.resolve(construct.logicalId) as string : '';
    violations.push({
      ruleName: finding.ruleId,
      description: finding.message,
      severity: ALWAYS_WARNINGS.has(finding.ruleId) || failureMode === FailureMode.WARNING ? 'warning' : 'error',
      violatingResources: [{
        resourceLogicalId: logicalId,
        templatePath,
        constructPath: construct.node.path,
        locations: finding.propertyPath ? [toLocation(finding.propertyPath)] : [],
      }],
    });
  }
  return violations;
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
