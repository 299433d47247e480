import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { EngineOptions, GuardEngine } from './engine';
import { unusedSuppressionMessage } from './messages';
import { findSuppression, StoredSuppression, suppressionsOn } from './suppressions';
import { FailureMode } from '../failure-mode';
import { Finding } from '../finding';
import { GuardRules } from '../guard-rules';

/** One guard's share of a run: its options and the resources it visited. */
export interface GuardScope {
  readonly options: EngineOptions;
  readonly failureMode: FailureMode;
  readonly resources: Iterable<CfnResource>;
}

/** How a finding is to be reported. */
export enum Level {
  ERROR = 'error',
  WARNING = 'warning',
  INFO = 'info',
}

/** A finding with where and how to report it. */
export interface Reported {
  readonly finding: Finding;
  /** The binding resource, or the construct that carries an unused suppression. */
  readonly construct: IConstruct;
  readonly level: Level;
}

/**
 * Runs guards in order, reports each finding once (the first guard that finds it decides its level),
 * applies suppressions and lists the suppressions among `suppressionScopes` that matched nothing.
 *
 * @param used suppressions used so far; shared by the runs of one app, as a suppression on an App can
 *   be used by the guard of a nested Stage, which synthesizes (and runs) before the App
 */
export function runGuards(engine: GuardEngine, guards: GuardScope[], suppressionScopes: Iterable<IConstruct>,
  used: WeakSet<StoredSuppression> = new WeakSet()): Reported[] {
  const reported: Reported[] = [];
  const seen = new Set<string>();
  for (const guard of guards) {
    for (const raw of engine.check(guard.resources, guard.options)) {
      if (seen.has(raw.key)) {
        continue;
      }
      seen.add(raw.key);
      const level = raw.isError && guard.failureMode !== FailureMode.WARNING ? Level.ERROR : Level.WARNING;
      const match = findSuppression({ ...raw, isWarning: level === Level.WARNING });
      if (match?.suppression) {
        used.add(match.suppression);
      }
      reported.push({
        construct: raw.resource,
        level: match ? Level.INFO : level,
        finding: {
          ruleId: raw.ruleId,
          resourcePath: raw.resource.node.path,
          propertyPath: raw.propertyPath,
          functionPath: raw.functionPath,
          message: raw.message,
          suppressed: match !== undefined,
          suppressionReason: match?.reason,
        },
      });
    }
  }
  for (const scope of suppressionScopes) {
    for (const suppression of suppressionsOn(scope)) {
      if (!used.has(suppression)) {
        const message = unusedSuppressionMessage(suppression.ruleId, scope.node.path, suppression.reason, suppression.appliesTo);
        const match = findSuppression({
          ruleId: GuardRules.UNUSED_SUPPRESSION, resource: scope, propertyPath: '', functionPath: '', isWarning: true,
        });
        reported.push({
          construct: scope,
          level: match ? Level.INFO : Level.WARNING,
          finding: {
            ruleId: GuardRules.UNUSED_SUPPRESSION,
            resourcePath: scope.node.path,
            propertyPath: '',
            functionPath: '',
            message,
            suppressed: match !== undefined,
            suppressionReason: match?.reason,
          },
        });
      }
    }
  }
  return reported;
}
