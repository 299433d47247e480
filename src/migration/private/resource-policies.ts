import { Annotations, CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DeployReferences } from './deploy-references';
import { Finding } from '../../guard/finding';
import { GuardSuppressions } from '../../guard/guard-suppressions';

const RESOURCE_POLICY_TYPE = 'AWS::Lambda::ResourcePolicy';

/**
 * Issue #17 §2: an `AWS::Lambda::ResourcePolicy` (aws-cdk-lib >= 2.268: a whole invoke policy on a
 * function, version or alias) is a grant, so it is judged like an `AWS::Lambda::Permission`: it moves
 * to the alias when a call of its invoker moves (an invoker its statements name in a condition, such as
 * `aws:SourceArn`, whose binding of the function the migration rewrites), and otherwise stays on the
 * function, for whoever holds it invokes the name they know. One that stays is suppressed in the guard
 * with the reason, and an info on it says so.
 *
 * @returns why the finding `group` stays on the function, or undefined when it moves (or is not a resource policy)
 */
export function resourcePolicyStays(group: Finding, findings: readonly Finding[], resourceAt: (path: string) => IConstruct | undefined,
  refs: DeployReferences): string | undefined {
  const policy = resourceAt(group.resourcePath);
  if (!CfnResource.isCfnResource(policy) || policy.cfnResourceType !== RESOURCE_POLICY_TYPE) {
    return undefined;
  }
  const invokers = new Set<CfnResource>(refs.read(policy).refs.filter((r) => r.path.includes('.Condition.')).map((r) => r.target));
  const moving = findings.filter((f) => f.functionPath === group.functionPath && !f.suppressed && f !== group)
    .map((f) => resourceAt(f.resourcePath)).filter((r): r is CfnResource => CfnResource.isCfnResource(r) && invokers.has(r));
  if (moving.length > 0) {
    return undefined;
  }
  const named = [...invokers][0];
  const reason = named
    ? `its statements allow ${named.node.path}, which keeps invoking the bare function, so the policy stays with it`
    : 'no statement names an invoker of the app (a condition such as aws:SourceArn), so whoever holds it invokes the bare function';
  GuardSuppressions.add(policy, { ruleId: group.ruleId, reason: `MakeFunctionsSafe: ${reason}`, appliesTo: [group.functionPath] });
  Annotations.of(policy).addInfo(`MakeFunctionsSafe: ${policy.node.path} still allows the function itself, not its alias.\n`
    + `Why: ${reason}. Fix: move it to the alias (\`resourceArn: live.functionArn\`) when its invoker calls \`name:live\`.`);
  return reason;
}
