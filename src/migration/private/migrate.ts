import { Annotations, CfnResource, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { DeployReferences } from './deploy-references';
import { rebindProperty, RebindSkip, RebindTarget, RenderCache } from './rebind';
import { MigrationRewrite, refreshSnapshots } from './snapshots';
import { GuardRules } from '../../guard/guard-rules';
import { GuardedFunctions } from '../../guard/guarded-functions';
import { NoLatestInvocations } from '../../guard/no-latest-invocations';
import { GuardedFunctionIndex } from '../../guard/private/guarded-function';
import { madeSafeBy } from '../../safe/private/made-safe';
import { SafeAlias } from '../../safe/safe-alias';
import { SafeFunctionOptions } from '../../safe/safe-function-options';

/** How one scope is migrated. */
export interface MigrationPlan {
  readonly options: SafeFunctionOptions;
  readonly safeAliasId: string;
  readonly isExcluded: (fn: lambda.Function) => boolean;
}

/** What a migration did. */
export interface MigrationResult {
  /** Functions this run made safe (not those that already were). */
  readonly functions: number;
  readonly excluded: number;
  readonly rewritten: number;
  readonly left: number;
  /** Stages under the scope: synthesized before the scope's aspects, so out of its reach. */
  readonly nestedStages: Stage[];
}

/** Rules whose findings are bindings a rewrite can fix (not an unused suppression, not an internal error). */
const REWRITABLE = new Set<string>([
  GuardRules.LATEST_BINDING, GuardRules.LATEST_PERMISSION, GuardRules.LATEST_GRANT, GuardRules.LATEST_SDK_TARGET,
]);

const SKIP_REASON: Record<RebindSkip, string> = {
  [RebindSkip.NOT_RENDERABLE]: 'the value could not be rendered with its references kept',
  [RebindSkip.NO_TOKEN]: 'the function is named there by a raw logical ID or an imported value, not a reference',
  [RebindSkip.QUALIFIED_TEXT]: 'the reference is already followed by a qualifier such as :$LATEST',
};

/**
 * Makes every eligible function of `scope` (its own Stage only) safe in place, then rewrites the
 * bindings the guard finds to their `$LATEST` into bindings of their alias.
 */
export function migrateScope(scope: IConstruct, plan: MigrationPlan): MigrationResult {
  const stage = Stage.isStage(scope) ? scope : Stage.of(scope);
  const mine = (c: IConstruct) => (Stage.of(c) ?? c.node.root) === (stage ?? scope.node.root);
  const all = scope.node.findAll().filter(mine);
  const nestedStages = scope.node.findAll().filter((c): c is Stage => c !== scope && Stage.isStage(c));
  // The guard's own idea of which functions are the user's (its exclusions under GuardedFunctions.ALL).
  const users = new GuardedFunctionIndex(GuardedFunctions.ALL, false);
  const targets = new Map<string, RebindTarget>();
  let excluded = 0;
  let made = 0;
  for (const fn of all) {
    if (!(fn instanceof lambda.Function) || fn instanceof lambda.SingletonFunction) {
      continue;
    }
    const resource = fn.node.defaultChild;
    if (!CfnResource.isCfnResource(resource) || users.of(resource) === undefined) {
      continue;
    }
    const owner = madeSafeBy(fn);
    if (owner) {
      // Already safe (a SafeFunction, a SafeAlias, or an earlier run): its bindings may still need rewriting.
      if (owner instanceof SafeAlias || isSafeOwner(owner)) {
        targets.set(owner.node.path, targetOf(owner as any, resource));
      }
      continue;
    }
    if (plan.isExcluded(fn)) {
      excluded++;
      continue;
    }
    const safe = makeSafe(fn, plan);
    targets.set(safe.node.path, targetOf(safe, resource));
    made++;
  }

  const byPath = new Map<string, IConstruct>(all.map((c) => [c.node.path, c]));
  // Every function bound at one property is rewritten in one pass: one property can name several
  // (a state machine calling two functions, an environment variable listing two ARNs), and a second
  // rewrite of the same property would otherwise start again from the original value.
  const work = new Map<CfnResource, Map<string, Map<string, RebindTarget>>>();
  for (const group of NoLatestInvocations.findings(scope)) {
    // A binding and the permissions and grants its integration brought: each is rewritten.
    for (const finding of [group, ...group.relatedResources ?? []]) {
      const target = targets.get(group.functionPath);
      const resource = byPath.get(finding.resourcePath);
      if (!target || group.suppressed || !REWRITABLE.has(finding.ruleId) || !CfnResource.isCfnResource(resource)) {
        continue;
      }
      const paths = work.get(resource) ?? new Map<string, Map<string, RebindTarget>>();
      work.set(resource, paths);
      const at = rewritePathOf(finding.propertyPath);
      const functions = paths.get(at) ?? new Map<string, RebindTarget>();
      paths.set(at, functions);
      functions.set(group.functionPath, target);
    }
  }
  let rewritten = 0;
  let left = 0;
  const renders: RenderCache = new Map();
  const done: MigrationRewrite[] = []; // issue #16 (deploy order, snapshots): what was rewritten
  for (const [resource, paths] of work) {
    for (const [propertyPath, functions] of paths) {
      const outcomes = rebindProperty(resource, propertyPath, [...functions.values()], renders);
      [...functions.keys()].forEach((functionPath, i) => {
        const outcome = outcomes[i];
        if (outcome.rewritten) {
          rewritten++;
          done.push({ resource, propertyPath, functionPath, target: functions.get(functionPath)! }); // issue #16
          Annotations.of(resource).addInfo(`MakeFunctionsSafe: ${propertyPath} now binds the alias of ${functionPath} instead of its $LATEST.`);
        } else {
          left++;
          Annotations.of(resource).addInfo(`MakeFunctionsSafe: ${propertyPath} still binds the $LATEST of ${functionPath}: `
            + `${SKIP_REASON[outcome.skip!]}. The guard reports it; bind the SafeAlias (${functionPath}) there instead.`);
        }
      });
    }
  }
  // issue #16: every snapshot of a rewritten resource is taken again (a REST API's Deployment).
  refreshSnapshots(done, all.filter((c): c is CfnResource => CfnResource.isCfnResource(c)), new DeployReferences());
  return { functions: made, excluded, rewritten, left, nestedStages };
}

/**
 * Where to rewrite a finding at `propertyPath`. A policy document is rewritten whole: finding paths are
 * those of the synthesized template, where `@aws-cdk/aws-iam:minimizePolicies` merges statements and
 * sorts their resources, so `Statement[0].Resource[1]` need not be that index of the document as the
 * rewrite renders it.
 */
function rewritePathOf(propertyPath: string): string {
  const document = /^(.*?\bPolicyDocument)(\.|\[|$)/.exec(propertyPath);
  return document ? document[1] : propertyPath;
}

/**
 * The function's SafeAlias; a function that cannot get one (it was built with options a SafeAlias
 * refuses, such as provisioned concurrency on its version) fails with the routes that fit a migration.
 */
function makeSafe(fn: lambda.Function, plan: MigrationPlan): SafeAlias {
  try {
    return new SafeAlias(fn, plan.safeAliasId, { ...plan.options, function: fn });
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/\.$/, '');
    throw new Error(`MakeFunctionsSafe: ${fn.node.path} cannot be made safe in place: ${reason}. `
      + 'Fix: wrap this function yourself with the options it needs (`new SafeAlias(scope, \'Safe\', { function: fn, ... })`: '
      + 'MakeFunctionsSafe then leaves it and rewrites its bindings), or leave it alone with `exclude: [fn]`.');
  }
}

function isSafeOwner(owner: IConstruct): boolean {
  return typeof (owner as any).live === 'object' && typeof (owner as any).functionArn === 'string';
}

function targetOf(safe: lambda.IFunction, functionResource: CfnResource): RebindTarget {
  return { functionResource, aliasArn: safe.functionArn, aliasName: safe.functionName };
}
