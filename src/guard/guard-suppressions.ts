import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GuardRules } from './guard-rules';
import { SUPPRESSION_METADATA } from '../private/suppression-store';

/**
 * A suppression of one `$LATEST` guard rule, with the reason it is safe.
 */
export interface GuardSuppression {
  /**
   * The rule to suppress, one of `GuardRules` (for example `GuardRules.LATEST_BINDING`).
   */
  readonly ruleId: string;

  /**
   * Why the finding is safe, at least 10 characters. It is shown next to the suppressed finding.
   */
  readonly reason: string;

  /**
   * Narrows the suppression to some findings of the rule: a finding is covered when one entry equals
   * its property path (`Properties.Integration.Uri`, as in `Finding.propertyPath`) or its guarded
   * function's construct path (`Finding.functionPath`).
   *
   * @default - every finding of the rule on the scope and below it
   */
  readonly appliesTo?: string[];
}

/**
 * Suppresses findings of the `$LATEST` guard, with a reason.
 *
 * A suppression covers the findings on the resources of its scope and of every construct below it,
 * including those created after the call; it does not cover siblings. Suppressed findings appear as info
 * annotations with their reason; a suppression that matches nothing is reported as
 * `SafeLambda-UnusedSuppression`.
 */
export class GuardSuppressions {
  /**
   * Suppresses `suppression.ruleId` on `scope` and below it.
   *
   * @param scope the binding resource, or any construct above it (an L2, a stack, a stage)
   * @param suppression the rule, the reason and optionally the findings it applies to
   */
  public static add(scope: IConstruct, suppression: GuardSuppression): void {
    const where = scope.node.path || '<root>';
    const known = GuardRules.ALL_IDS.filter((id) => id !== GuardRules.UNUSED_SUPPRESSION);
    if (!known.includes(suppression.ruleId)) {
      const unused = suppression.ruleId === GuardRules.UNUSED_SUPPRESSION
        ? ` To silence ${GuardRules.UNUSED_SUPPRESSION}, remove the stale suppression, or acknowledge the warning: Annotations.of(scope).acknowledgeWarning('${GuardRules.UNUSED_SUPPRESSION}', reason).`
        : '';
      throw new Error(`GuardSuppressions.add(${where}): unknown ruleId '${suppression.ruleId}'. Use one of the GuardRules IDs: ${known.join(', ')}.${unused}`);
    }
    const reason = suppression.reason;
    if (typeof reason !== 'string' || (!Token.isUnresolved(reason) && reason.trim().length < 10)) {
      throw new Error(`GuardSuppressions.add(${where}): the reason for suppressing ${suppression.ruleId} must be at least 10 characters, got '${reason ?? ''}'. `
        + 'Say why the binding cannot reach $LATEST during a deployment (for example \'invoked only by the deploy-time migration custom resource\').');
    }
    for (const entry of suppression.appliesTo ?? []) {
      if (typeof entry !== 'string' || entry.trim() === '') {
        throw new Error(`GuardSuppressions.add(${where}): appliesTo entries must be non-empty strings, got '${entry}'. `
          + 'Use a finding\'s propertyPath (\'Properties.Integration.Uri\') or functionPath (\'Stack/MyFunction\'), or omit appliesTo.');
      }
    }
    scope.node.addMetadata(SUPPRESSION_METADATA, {
      ruleId: suppression.ruleId,
      reason,
      ...(suppression.appliesTo ? { appliesTo: [...suppression.appliesTo] } : {}),
    });
  }

  private constructor() {}
}
