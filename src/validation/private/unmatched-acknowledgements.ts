import { IConstruct } from 'constructs';
import { Finding } from '../../guard/finding';
import { GuardRules } from '../../guard/guard-rules';

/** `Validations.ACKNOWLEDGED_RULES_METADATA_KEY` (2.252 and later), by its value to compile against the floor. */
const ACKNOWLEDGED_RULES = 'aws:cdk:acknowledged-rules';
/** Where `Annotations.acknowledgeWarning` keeps its acknowledgements (aws-cdk-lib core/lib/annotations.ts). */
const ACKNOWLEDGEMENTS = Symbol.for('@aws-cdk/core.Acknowledgements');

/** A CDK acknowledgement of one of this library's rules. */
export interface Acknowledgement {
  readonly scope: IConstruct;
  /** The rule acknowledged, without a `<source>::` prefix. */
  readonly ruleId: string;
  /** How it was written, for the message: `Validations.acknowledge` or `Annotations.acknowledgeWarning`. */
  readonly how: string;
}

/**
 * The acknowledgements of `SafeLambda-…` rules under `root` that match no finding at or below their scope
 * (issue #17 §5). cdk-nag shipped releases whose suppressions silently stopped matching after an
 * aws-cdk-lib metadata change (cdklabs/cdk-nag#2351, #2359, PR #2362): an acknowledgement that covers
 * nothing is always reported, like a stale `GuardSuppressions` entry (SafeLambda-UnusedSuppression).
 *
 * @param findings every finding of the check, suppressed ones included (an acknowledgement that suppresses
 *   one is used)
 */
export function unmatchedAcknowledgements(root: IConstruct, findings: Finding[]): Finding[] {
  const covered = findings.flatMap((f) => [
    { ruleId: f.ruleId, path: f.resourcePath },
    ...(f.relatedResources ?? []).map((r) => ({ ruleId: r.ruleId, path: r.resourcePath })),
  ]);
  const matches = (ack: Acknowledgement) => {
    const path = ack.scope.node.path;
    return covered.some((c) => c.ruleId === ack.ruleId && (path === '' || c.path === path || c.path.startsWith(`${path}/`)));
  };
  return acknowledgementsUnder(root).filter((ack) => !matches(ack)).map((ack) => {
    const where = ack.scope.node.path || '<root>';
    const message = `${headline(where, ack.ruleId)}\n`
      + `[SafeLambda-UnusedSuppression] ${ack.how} of ${ack.ruleId} on ${where} matched no finding of this app. `
      + 'Remove it, or fix its rule ID (SafeLambda::<rule ID> for Validations.acknowledge, the bare rule ID for acknowledgeWarning) '
      + 'or the construct it is on (it covers findings at or below it).';
    return {
      ruleId: GuardRules.UNUSED_SUPPRESSION, resourcePath: ack.scope.node.path, propertyPath: '', functionPath: '', message, suppressed: false,
    };
  });
}

/** The acknowledgements of this library's rules under `root`, once per scope and rule. */
export function acknowledgementsUnder(root: IConstruct): Acknowledgement[] {
  const found = new Map<string, Acknowledgement>();
  const add = (scope: IConstruct, id: string, how: string) => {
    const ruleId = ruleOf(id);
    const key = `${scope.node.path}\u0000${ruleId}`;
    if (ruleId && ruleId !== GuardRules.UNUSED_SUPPRESSION && !found.has(key)) {
      found.set(key, { scope, ruleId, how });
    }
  };
  const acks: Map<string, Set<string> | Map<string, unknown>> | undefined = (root.node.root as any)[ACKNOWLEDGEMENTS]?.acks;
  for (const node of root.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type === ACKNOWLEDGED_RULES && typeof entry.data === 'object' && entry.data !== null) {
        Object.keys(entry.data).forEach((id) => add(node, id, 'Validations.acknowledge'));
      }
    }
    // Validations.acknowledge() also acknowledges the warning: the metadata above names it first.
    // A Set of IDs per path before 2.278, a Map from ID to where it was acknowledged since.
    for (const id of acks instanceof Map ? acks.get(node.node.path)?.keys() ?? [] : []) {
      add(node, id, 'Annotations.acknowledgeWarning');
    }
  }
  return [...found.values()];
}

/** `SafeLambda::SafeLambda-LatestBinding`, `annotation::SafeLambda-LatestBinding`, `SafeLambda-LatestBinding`: the rule, else ''. */
function ruleOf(id: string): string {
  const ruleId = id.includes('::') ? id.slice(id.lastIndexOf('::') + 2) : id;
  return ruleId.startsWith('SafeLambda-') ? ruleId : '';
}

/** The first line, ≤ 120 characters: the scope's path cut in the middle (`…`) where it is long. */
function headline(where: string, ruleId: string): string {
  const line = (path: string) => `SafeLambda-UnusedSuppression ${path}: acknowledged ${ruleId} matches no finding — fix: remove it`;
  const over = line(where).length - 120;
  if (over <= 0) {
    return line(where);
  }
  const keep = Math.max(where.length - over - 1, 8);
  const head = Math.floor(keep / 3);
  return line(`${where.slice(0, head)}…${where.slice(where.length - (keep - head))}`);
}
