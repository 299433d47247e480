import { IConstruct } from 'constructs';
import { isWarningAcknowledged } from './acknowledgements';

/** Construct metadata type of a `GuardSuppressions` entry (construct metadata, not template metadata). */
export const SUPPRESSION_METADATA = 'cdk-safe-lambda:guard-suppression';

/** `Validations.ACKNOWLEDGED_RULES_METADATA_KEY` (aws-cdk-lib ≥ 2.252), read by its value to compile against older versions. */
const ACKNOWLEDGED_RULES_METADATA = 'aws:cdk:acknowledged-rules';

/** A stored suppression, as read back from construct metadata. */
export interface StoredSuppression {
  readonly ruleId: string;
  readonly reason: string;
  readonly appliesTo?: string[];
}

/** The finding a suppression is matched against. */
export interface SuppressibleFinding {
  readonly ruleId: string;
  readonly resource: IConstruct;
  readonly propertyPath: string;
  readonly functionPath: string;
  /** Warning-level findings are also covered by `Annotations.acknowledgeWarning(ruleId)`. */
  readonly isWarning: boolean;
}

/** The match: the reason, and the stored suppression when it is one (CDK acknowledgements are not). */
export interface SuppressionMatch {
  readonly reason: string;
  readonly suppression?: StoredSuppression;
}

/** Whether `scope` itself carries `GuardSuppressions` entries. */
export function hasSuppression(scope: IConstruct): boolean {
  return scope.node.metadata.some((m) => m.type === SUPPRESSION_METADATA);
}

/** The `GuardSuppressions` entries stored on `scope` itself. */
export function suppressionsOn(scope: IConstruct): StoredSuppression[] {
  return scope.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA).map((m) => m.data as StoredSuppression);
}

/**
 * The suppression that covers `finding`: the closest one on the resource or its ancestors (O(depth)),
 * then CDK's own acknowledgements of the rule ID.
 */
export function findSuppression(finding: SuppressibleFinding): SuppressionMatch | undefined {
  for (let scope: IConstruct | undefined = finding.resource; scope; scope = scope.node.scope) {
    for (const entry of scope.node.metadata) {
      if (entry.type === SUPPRESSION_METADATA) {
        const suppression = entry.data as StoredSuppression;
        if (suppression.ruleId === finding.ruleId && appliesTo(suppression, finding)) {
          return { reason: suppression.reason, suppression };
        }
      } else if (entry.type === ACKNOWLEDGED_RULES_METADATA) {
        const reason = acknowledgedReason(entry.data, finding.ruleId);
        if (reason !== undefined) {
          return { reason };
        }
      }
    }
  }
  if (finding.isWarning && isWarningAcknowledged(finding.resource, finding.ruleId)) {
    return { reason: `acknowledged with Annotations.acknowledgeWarning('${finding.ruleId}')` };
  }
  return undefined;
}

function appliesTo(suppression: StoredSuppression, finding: SuppressibleFinding): boolean {
  return !suppression.appliesTo || suppression.appliesTo.some((a) => a === finding.propertyPath || a === finding.functionPath);
}

/** `{ '<id>': reason }` entries, with or without a `<source>::` prefix (`Annotation::SafeLambda-LatestBinding`). */
function acknowledgedReason(data: unknown, ruleId: string): string | undefined {
  if (typeof data !== 'object' || data === null) {
    return undefined;
  }
  for (const [id, reason] of Object.entries(data)) {
    if (id === ruleId || id.endsWith(`::${ruleId}`)) {
      return typeof reason === 'string' ? reason : 'acknowledged';
    }
  }
  return undefined;
}
