import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ConstructResources } from './construct-resources';
import { EngineOptions, GuardEngine, RawFinding } from './engine';
import { groupedFindings } from '../../judge/grouping';
import { unusedSuppressionMessage } from '../../judge/messages';
import { findSuppression, StoredSuppression, SuppressionMatch, suppressionsOn } from '../../private/suppression-store';
import { FailureMode } from '../failure-mode';
import { Finding, FindingResource } from '../finding';
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

/** A finding as one guard found it, with its level and suppression. */
interface Found {
  readonly raw: RawFinding;
  readonly level: Level;
  readonly match: SuppressionMatch | undefined;
  readonly suppressed: boolean;
}

/**
 * Runs guards in order, reports each finding once (the first guard that finds it decides its level),
 * applies suppressions, reports a binding and the permissions and grants its integration brought as one
 * finding (see `groupFindings`), and lists the suppressions among `suppressionScopes` that matched nothing.
 *
 * @param used suppressions used so far; shared by the runs of one app, as a suppression on an App can
 *   be used by the guard of a nested Stage, which synthesizes (and runs) before the App
 */
export function runGuards(engine: GuardEngine, guards: GuardScope[], suppressionScopes: Iterable<IConstruct>,
  used: WeakSet<StoredSuppression> = new WeakSet()): Reported[] {
  const found: Found[] = [];
  const seen = new Set<string>();
  for (const guard of guards) {
    for (const raw of engine.check(guard.resources, guard.options)) {
      if (seen.has(raw.key)) {
        continue;
      }
      seen.add(raw.key);
      const level = raw.isError && guard.failureMode !== FailureMode.WARNING ? Level.ERROR : Level.WARNING;
      // Every finding is matched on its own, so that a suppression of a permission that joins a binding is used.
      const match = findSuppression({ ...raw, isWarning: level === Level.WARNING });
      if (match?.suppression) {
        used.add(match.suppression);
      }
      found.push({ raw, level, match, suppressed: match !== undefined });
    }
  }
  const reported = reportGroups(found);
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

/**
 * One finding per group, at the binding: its rule and paths, the most severe level of the group, the
 * binding's suppression (which covers the group), and the permissions and grants in `relatedResources`.
 */
function reportGroups(found: Found[]): Reported[] {
  const resources = new ConstructResources();
  const groups = groupedFindings(found, (f) => ({
    ruleId: f.raw.ruleId, resource: resources.of(f.raw.resource), functionPath: f.raw.functionPath, suppressed: f.suppressed,
  }));
  return groups.map(({ head, members }) => {
    const { raw, level, match } = head;
    const relatedResources: FindingResource[] = members.map((m) => ({
      ruleId: m.raw.ruleId, resourcePath: m.raw.resource.node.path, propertyPath: m.raw.propertyPath,
    }));
    const grouped = relatedResources.length > 0 && raw.messageWith !== undefined;
    return {
      construct: raw.resource,
      level: match ? Level.INFO : mostSevere([level, ...members.map((m) => m.level)]),
      finding: {
        ruleId: raw.ruleId,
        resourcePath: raw.resource.node.path,
        propertyPath: raw.propertyPath,
        functionPath: raw.functionPath,
        message: grouped ? raw.messageWith!(relatedResources) : raw.message,
        suppressed: match !== undefined,
        suppressionReason: match?.reason,
        ...(grouped ? { relatedResources } : {}),
      },
    };
  });
}

function mostSevere(levels: Level[]): Level {
  return levels.includes(Level.ERROR) ? Level.ERROR : levels.includes(Level.WARNING) ? Level.WARNING : Level.INFO;
}
