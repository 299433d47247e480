import { Annotations, CfnResource, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { ClientHeld, rewriteVerdict } from './client-held';
import { orderAfterPermissions, PermissionCoherence } from './coherence';
import { DeployReferences } from './deploy-references';
import { adoptedTarget, aliasesNamed, checkAdoptable, LiveTarget, LiveTargetKind, safeTarget } from './live-targets';
import { Leave, LeftFor, StackTallies } from './migration-report';
import { rebindProperty, RebindOutcome, RebindSkip, RenderCache } from './rebind';
import { resourcePolicyStays } from './resource-policies';
import { MigrationRewrite, refreshSnapshots } from './snapshots';
import { addUntracedInfo } from './untraced-info';
import { urlPermissionFindings } from './url-permissions';
import { acknowledgeContradictedValidations } from './validation-acknowledgements';
import { Finding } from '../../guard/finding';
import { GuardRules } from '../../guard/guard-rules';
import { GuardSuppressions } from '../../guard/guard-suppressions';
import { GuardedFunctions } from '../../guard/guarded-functions';
import { NoLatestInvocations } from '../../guard/no-latest-invocations';
import { GuardedFunctionIndex } from '../../private/bindings/guarded-function';
import { madeSafeBy } from '../../private/made-safe';
import { ObservedReferences, observingReferences } from '../../private/observed-references';
import { SafeAlias } from '../../safe/safe-alias';
import { SafeFunctionBase } from '../../safe/safe-function-base';
import { SafeFunctionOptions } from '../../safe/safe-function-options';

/** How one scope is migrated. */
export interface MigrationPlan {
  readonly options: SafeFunctionOptions;
  readonly safeAliasId: string;
  readonly isExcluded: (fn: lambda.Function) => boolean;
  /**
   * Rebind also what a client holds (a function URL, a value an output publishes), replacing it.
   * Otherwise such a binding is left on `$LATEST` with a warning naming both choices (issue #16 §5).
   */
  readonly replaceClientHeld: boolean;
}

/** What a migration did. */
export interface MigrationResult {
  /** Functions this run made safe (not those that already were). */
  readonly functions: number;
  readonly excluded: number;
  /** Functions bound through an alias of the migration's name they already had. */
  readonly adopted: number;
  readonly rewritten: number;
  /** Bindings left on `$LATEST` (the guard reports them), those left for the user's choice included. */
  readonly left: number;
  /** Bindings left on `$LATEST` because moving them would change what a client holds. */
  readonly leftForChoice: number;
  /** What was rewritten: resource, property, function and alias, for whatever must follow a rewrite. */
  readonly rewrites: readonly MigrationRewrite[];
  /** The same counts, per stack, for the summary `cdk synth` shows on each stack. */
  readonly tallies: StackTallies;
  /** Stages under the scope: synthesized before the scope's aspects, so out of its reach. */
  readonly nestedStages: Stage[];
}

/** Rules whose findings are bindings a rewrite can fix (not an unused suppression, not an internal error). */
const REWRITABLE = new Set<string>([
  GuardRules.LATEST_BINDING, GuardRules.LATEST_PERMISSION, GuardRules.LATEST_GRANT, GuardRules.LATEST_SDK_TARGET,
]);

/** aws-cdk-lib's warning on a function with invoke permissions once it has a version (aws/aws-cdk#19464). */
const PERMISSIONS_TO_ALIAS_WARNING = '@aws-cdk/aws-lambda:addPermissionsToVersionOrAlias';

/** One resource property of a finding: the binding, or a permission or grant its integration brought. */
interface Member {
  readonly resource: CfnResource;
  readonly ruleId: string;
  /** Where the finding is (`Properties.PolicyDocument.Statement[0].Resource[1]`). */
  readonly findingPath: string;
  /** Where the rewrite happens (a policy document is rewritten whole). */
  readonly rewritePath: string;
}

/** A binding and what its integration brought on the same function: moved together, or left together. */
interface Unit {
  readonly target: LiveTarget;
  readonly members: Member[];
  /** The finding the unit stands for: a binding, or a permission or grant of its own. */
  readonly group: Finding;
}

/**
 * Makes every eligible function of `scope` (its own Stage only) safe in place, then rewrites the
 * bindings the guard finds to their `$LATEST` into bindings of their alias, as a SafeAlias-native app
 * binds them (issue #16 §1). A binding moves with its permissions and with the other properties of its
 * resource that name the same function, or not at all; one whose move would replace what a client
 * holds is left for the user to choose (§5).
 */
export function migrateScope(scope: IConstruct, plan: MigrationPlan): MigrationResult {
  const stage = Stage.isStage(scope) ? scope : Stage.of(scope);
  const mine = (c: IConstruct) => (Stage.of(c) ?? c.node.root) === (stage ?? scope.node.root);
  const all = scope.node.findAll().filter(mine);
  const nestedStages = scope.node.findAll().filter((c): c is Stage => c !== scope && Stage.isStage(c));
  const tallies = new StackTallies();
  const targets = makeFunctionsSafe(all, plan, tallies);

  // The guard's findings for every user function (made safe or adopted), each group a unit.
  const units: Unit[] = [];
  const byPath = new Map<string, IConstruct>(all.map((c) => [c.node.path, c]));
  const observed = new ObservedReferences(); // issue #16 §8: the findings' render is read again by ClientHeld
  const findings = observingReferences(observed, () => NoLatestInvocations.findings(scope, { functions: GuardedFunctions.ALL }));
  // issue #16 §3: a grant whose invoker's deploy-time call names the bare function stays with that call.
  const coherence = new PermissionCoherence(findings, (p) => byPath.get(p), (f) => targets.get(f)?.functionResource, new DeployReferences());
  const policyRefs = new DeployReferences(); // issue #17 §2: a resource policy is a grant
  // A function URL's permissions name no invoker: they belong to the URL, and move or stay with it.
  const urlPermissions = urlPermissionFindings(findings, (p) => byPath.get(p));
  const hasUrl = new Set(findings.filter((f) => isUrlResource(byPath.get(f.resourcePath))).map((f) => f.functionPath));
  for (const group of findings) {
    const target = targets.get(group.functionPath);
    const ownedByUrl = hasUrl.has(group.functionPath) && (urlPermissions.get(group.functionPath) ?? []).includes(group);
    if (!target || group.suppressed || !REWRITABLE.has(group.ruleId) || ownedByUrl || coherence.staysOnFunction(group)
      || resourcePolicyStays(group, findings, (p) => byPath.get(p), policyRefs)) {
      continue;
    }
    const withUrlPermissions = isUrlResource(byPath.get(group.resourcePath)) ? urlPermissions.get(group.functionPath) ?? [] : [];
    const members: Member[] = [];
    for (const finding of [group, ...group.relatedResources ?? [], ...withUrlPermissions]) {
      const resource = byPath.get(finding.resourcePath);
      if (REWRITABLE.has(finding.ruleId) && CfnResource.isCfnResource(resource)) {
        members.push({ resource, ruleId: finding.ruleId, findingPath: finding.propertyPath, rewritePath: rewritePathOf(finding.propertyPath) });
      }
    }
    if (members.length > 0) {
      units.push({ target, members, group });
    }
  }

  // Every function bound at one property is rewritten in one pass: one property can name several
  // (a state machine calling two functions, an environment variable listing two ARNs), and a second
  // rewrite of the same property would otherwise start again from the original value.
  const work = new Map<CfnResource, Map<string, Map<string, LiveTarget>>>();
  for (const unit of units) {
    for (const member of unit.members) {
      const paths = work.get(member.resource) ?? new Map<string, Map<string, LiveTarget>>();
      work.set(member.resource, paths);
      const functions = paths.get(member.rewritePath) ?? new Map<string, LiveTarget>();
      paths.set(member.rewritePath, functions);
      functions.set(unit.target.functionPath, unit.target);
    }
  }
  const renders: RenderCache = new Map();
  const planned = new Map<string, RebindOutcome>();
  for (const [resource, paths] of work) {
    for (const [propertyPath, functions] of paths) {
      const outcomes = rebindProperty(resource, propertyPath, [...functions.values()], renders, false);
      [...functions.keys()].forEach((functionPath, i) => planned.set(keyOf(resource, propertyPath, functionPath), outcomes[i]));
    }
  }

  const leaves = decideLeaves(units, planned, plan, new ClientHeld(all, observed));
  keepPermissionsOfLeftCalls(units, leaves, work, coherence); // issue #16 §3: decided after the leaves

  // Apply what moves; report each rewrite, and each binding left, on its resource.
  const done: MigrationRewrite[] = []; // issue #16 (deploy order, snapshots): what was rewritten
  let rewritten = 0;
  let left = 0;
  for (const [resource, paths] of work) {
    for (const [propertyPath, functions] of paths) {
      const moving = [...functions.entries()].filter(([functionPath]) => !leaves.has(keyOf(resource, propertyPath, functionPath)));
      const outcomes = moving.length > 0 ? rebindProperty(resource, propertyPath, moving.map(([, t]) => t), renders, true) : [];
      moving.forEach(([functionPath, target], i) => {
        rewritten++;
        tallies.of(resource).rewritten++;
        done.push({ resource, propertyPath, functionPath, target }); // issue #16
        acknowledgeContradictedValidations(resource, propertyPath);
        const qualifierPath = outcomes[i]?.qualifierPath;
        addUntracedInfo(resource, `MakeFunctionsSafe: ${propertyPath} now binds the alias of ${functionPath} instead of its $LATEST`
          + (qualifierPath ? `.\nIt keeps the function, and ${qualifierPath} is '${target.qualifier}', as a SafeAlias renders it.` : '.'));
      });
      for (const [functionPath] of functions) {
        const leave = leaves.get(keyOf(resource, propertyPath, functionPath));
        if (leave) {
          left++;
          tallies.of(resource).left++;
          addUntracedInfo(resource, `MakeFunctionsSafe: ${propertyPath} still binds the $LATEST of ${functionPath}.\nWhy: ${leave.why}.`
            + (leave.kind === LeftFor.CHOICE ? '' : ` The guard reports it. Fix: bind the alias of ${functionPath} there.`));
        }
      }
    }
  }
  const leftForChoice = reportChoices(units, leaves, tallies);
  acknowledgeMovedPermissions(findings, done, targets, byPath);
  // issue #16: every snapshot of a rewritten resource is taken again (a REST API's Deployment).
  const deployRefs = new DeployReferences();
  const servers = refreshSnapshots(done, all.filter((c): c is CfnResource => CfnResource.isCfnResource(c)), deployRefs);
  orderAfterPermissions(findings, done, servers, deployRefs); // issue #16 §3: rebound invokers after their new permissions
  const count = (kind: LiveTargetKind) => [...targets.values()].filter((t) => t.kind === kind).length;
  return {
    functions: count(LiveTargetKind.MADE_SAFE),
    adopted: count(LiveTargetKind.ADOPTED),
    excluded: tallies.total('excluded'),
    rewritten,
    left,
    leftForChoice,
    rewrites: done,
    tallies,
    nestedStages,
  };
}

/**
 * A permission or grant of its own moved because its invoker had a binding to move; where the migration
 * then left that binding (it cannot be rewritten, it moves with one that stays, or it is the user's
 * choice), the invoker still calls the bare function, so the permission stays with it: taken out of
 * the work, and suppressed with the reason by the coherence (issue #16 §3).
 */
function keepPermissionsOfLeftCalls(units: Unit[], leaves: Map<string, Leave>, work: Map<CfnResource, Map<string, Map<string, LiveTarget>>>,
  coherence: PermissionCoherence): void {
  const isLeft = (unit: Unit) => unit.members.some((m) => leaves.has(keyOf(m.resource, m.rewritePath, unit.target.functionPath)));
  const leftCalls = units.filter((u) => CALL_RULES.has(u.group.ruleId) && isLeft(u))
    .flatMap((u) => u.members.filter((m) => CALL_RULES.has(m.ruleId)).map((m) => ({ resource: m.resource, functionPath: u.target.functionPath })));
  if (leftCalls.length === 0) {
    return;
  }
  coherence.leaveCalls(leftCalls);
  const kept = units.filter((u) => !CALL_RULES.has(u.group.ruleId) && !isLeft(u) && coherence.staysOnFunction(u.group) !== undefined);
  const stillMoving = new Set(units.filter((u) => !kept.includes(u))
    .flatMap((u) => u.members.map((m) => keyOf(m.resource, m.rewritePath, u.target.functionPath))));
  for (const unit of kept) {
    units.splice(units.indexOf(unit), 1);
    for (const member of unit.members) {
      if (!stillMoving.has(keyOf(member.resource, member.rewritePath, unit.target.functionPath))) {
        const paths = work.get(member.resource);
        paths?.get(member.rewritePath)?.delete(unit.target.functionPath);
        if (paths?.get(member.rewritePath)?.size === 0) {
          paths.delete(member.rewritePath);
        }
      }
    }
  }
}

/** Rules of calls (a binding, an SDK target), as opposed to a permission or grant. */
const CALL_RULES = new Set<string>([GuardRules.LATEST_BINDING, GuardRules.LATEST_SDK_TARGET]);

/**
 * Gives every user function of the scope its alias: a SafeAlias made now, the one that already made it
 * safe, or an alias of the migration's name the user made before (adopted, not refused: issue #16 §5).
 * Keyed by the path the guard reports the function under.
 */
function makeFunctionsSafe(all: IConstruct[], plan: MigrationPlan, tallies: StackTallies): Map<string, LiveTarget> {
  // The guard's own idea of which functions are the user's (its exclusions under GuardedFunctions.ALL).
  const users = new GuardedFunctionIndex(true, false);
  const existing = aliasesNamed(all, plan.options.aliasName ?? 'live');
  const targets = new Map<string, LiveTarget>();
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
      if (owner instanceof SafeFunctionBase) {
        const target = safeTarget(owner, fn, LiveTargetKind.ALREADY_SAFE);
        targets.set(target.functionPath, target);
      }
      continue;
    }
    if (plan.isExcluded(fn)) {
      tallies.of(fn).excluded++;
      continue;
    }
    const alias = existing.get(fn)?.[0];
    if (alias) {
      // Lambda allows one alias per name: a second `live` would fail the deployment. Bind the user's.
      checkAdoptable(alias, fn);
      targets.set(fn.node.path, adoptedTarget(alias, fn));
      tallies.of(fn).adopted++;
      Annotations.of(alias).addInfo(`MakeFunctionsSafe: ${fn.node.path} already has the alias '${alias.aliasName}': its bindings now bind it.\n`
        + `Lambda allows one alias per name, so no SafeAlias is made beside ${alias.node.path}, and MakeFunctionsSafe's options `
        + '(releases, retention, the automatic guard) do not apply to it.');
      continue;
    }
    const safe = makeSafe(fn, plan);
    targets.set(safe.node.path, safeTarget(safe, fn, LiveTargetKind.MADE_SAFE));
    tallies.of(fn).functions++;
  }
  return targets;
}

/**
 * Which bindings stay on `$LATEST`, and why: a rewrite that cannot be made; a unit one of whose parts
 * stays (a binding moves with its permissions, and with every property of its resource naming the same
 * function: `PreTokenGeneration` and `PreTokenGenerationConfig.LambdaArn`); a move that would replace what
 * a client holds, unless the user chose it.
 */
function decideLeaves(units: Unit[], planned: Map<string, RebindOutcome>, plan: MigrationPlan, held: ClientHeld): Map<string, Leave> {
  const unitLeave = new Map<Unit, Leave>();
  for (const unit of units) {
    for (const member of unit.members) {
      const outcome = planned.get(keyOf(member.resource, member.rewritePath, unit.target.functionPath));
      if (outcome && !outcome.rewritten) {
        unitLeave.set(unit, { kind: LeftFor.CANNOT, why: SKIP_REASON[outcome.skip!] });
        break;
      }
    }
  }
  for (const unit of units.filter((u) => !unitLeave.has(u))) {
    const leave = identityLeave(unit, planned, plan, held);
    if (leave) {
      unitLeave.set(unit, leave);
    }
  }
  // Units sharing a resource and a function move together: propagate until nothing changes.
  let changed = true;
  while (changed) {
    changed = false;
    const stuck = new Map<string, Unit>();
    for (const [unit] of unitLeave) {
      for (const member of unit.members) {
        stuck.set(`${member.resource.node.path}\u0000${unit.target.functionPath}`, unit);
      }
    }
    for (const unit of units.filter((u) => !unitLeave.has(u))) {
      const blocker = unit.members.map((m) => ({ m, by: stuck.get(`${m.resource.node.path}\u0000${unit.target.functionPath}`) })).find((x) => x.by);
      if (blocker) {
        const because = unitLeave.get(blocker.by!)!;
        unitLeave.set(unit, {
          kind: because.kind === LeftFor.CHOICE ? LeftFor.CHOICE : LeftFor.TOGETHER,
          why: `${blocker.m.resource.node.path} also names it elsewhere, and that stays (${because.why}); `
            + 'a binding, its permissions and the other properties of one resource naming the same function move together',
          choice: because.choice,
        });
        changed = true;
      }
    }
  }
  const leaves = new Map<string, Leave>();
  for (const [unit, leave] of unitLeave) {
    for (const member of unit.members) {
      leaves.set(keyOf(member.resource, member.rewritePath, unit.target.functionPath), leave);
    }
  }
  return leaves;
}

/** A unit whose move would replace what a client holds, or what CloudFormation refuses to change. */
function identityLeave(unit: Unit, planned: Map<string, RebindOutcome>, plan: MigrationPlan, held: ClientHeld): Leave | undefined {
  for (const member of unit.members) {
    const outcome = planned.get(keyOf(member.resource, member.rewritePath, unit.target.functionPath));
    const type = member.resource.cfnResourceType;
    const verdicts = [rewriteVerdict(type, member.rewritePath), ...outcome?.qualifierPath ? [rewriteVerdict(type, outcome.qualifierPath)] : []];
    if (verdicts.includes('refused')) {
      return { kind: LeftFor.CANNOT, why: `CloudFormation refuses a change of ${member.rewritePath} (${type})` };
    }
    if (!verdicts.includes('yes') && !verdicts.includes('maybe')) {
      continue;
    }
    const reason = held.reasonFor(member.resource);
    if (reason && !plan.replaceClientHeld) {
      return {
        kind: LeftFor.CHOICE,
        why: `moving it replaces ${member.resource.node.path} (${type}): ${reason}`,
        choice: { resource: member.resource, reason },
      };
    }
    if (reason) {
      Annotations.of(member.resource).addInfo(`MakeFunctionsSafe: ${member.resource.node.path} is replaced to bind the alias.\n`
        + `Function: ${unit.target.functionPath}; replaceClientHeldResources is on, and ${reason}.`);
    }
  }
  return undefined;
}

/**
 * Warns, on each resource left for the user's choice, with both choices; and suppresses its findings
 * in the guard, with the reason, so that synthesis does not fail on what was deliberately left.
 */
function reportChoices(units: Unit[], leaves: Map<string, Leave>, tallies: StackTallies): number {
  let count = 0;
  for (const unit of units) {
    const head = unit.members[0];
    const leave = leaves.get(keyOf(head.resource, head.rewritePath, unit.target.functionPath));
    if (leave?.kind !== LeftFor.CHOICE || !leave.choice) {
      continue;
    }
    count++;
    tallies.of(head.resource).leftForChoice++;
    const { resource, reason } = leave.choice;
    Annotations.of(head.resource).addWarningV2('cdk-safe-lambda:migration-client-held',
      `MakeFunctionsSafe left ${head.resource.node.path} on $LATEST: moving it would replace ${resource === head.resource ? 'it' : resource.node.path}.\n`
      + `Function: ${unit.target.functionPath}. Why: ${reason}. Choose: keep it on $LATEST (it may run new code with old configuration during a deployment; `
      + 'this warning stays), or move it and replace it: MakeFunctionsSafe.applyTo(app, { replaceClientHeldResources: true }) '
      + 'or bind the alias yourself, then give clients the new value.');
    // Also for an adopted alias (issue #16 §5): the automatic guard does not check it, but a user's guard
    // over every function (GuardedFunctions.ALL) does, and must not fail on what was deliberately left.
    for (const member of unit.members) {
      GuardSuppressions.add(member.resource, {
        ruleId: member.ruleId,
        reason: `MakeFunctionsSafe left it for you to choose: moving it replaces ${resource.node.path} (see cdk-safe-lambda:migration-client-held)`,
        appliesTo: [member.findingPath],
      });
    }
  }
  return count;
}

/**
 * aws-cdk-lib warns on every function with invoke permissions once it has a version, telling users to
 * grant on the alias: where the migration moved every permission of a function to its alias, that
 * warning contradicts what was done, so it is acknowledged with the reason (issue #16 §6). Where a
 * permission or an IAM grant stays on the function (left, suppressed, or kept for an invoker that calls
 * the bare function), not every permission moved: the warning is true and stays.
 */
function acknowledgeMovedPermissions(findings: readonly Finding[], done: readonly MigrationRewrite[], targets: Map<string, LiveTarget>,
  byPath: Map<string, IConstruct>): void {
  const isPermission = (c: IConstruct | undefined) => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Permission';
  const moved = new Set(done.filter((w) => isPermission(w.resource)).map((w) => `${w.resource.node.path}\u0000${w.functionPath}`));
  const rewritten = new Set(done.map((w) => `${w.resource.node.path}\u0000${w.functionPath}`));
  const grantMoved = (resourcePath: string, functionPath: string) => rewritten.has(`${resourcePath}\u0000${functionPath}`);
  const movedOf = new Map<string, number>();
  const stayed = new Set<string>();
  for (const group of findings) {
    for (const finding of [group, ...group.relatedResources ?? []]) {
      const permission = isPermission(byPath.get(finding.resourcePath));
      if (permission && moved.has(`${finding.resourcePath}\u0000${group.functionPath}`)) {
        movedOf.set(group.functionPath, (movedOf.get(group.functionPath) ?? 0) + 1);
      } else if (permission || (finding.ruleId === GuardRules.LATEST_GRANT && !grantMoved(finding.resourcePath, group.functionPath))) {
        // A permission, or an IAM grant (issue #16 §3 keeps a deploy-time caller's), left on the function
        // itself: not every permission moved, so the warning is true and stays.
        stayed.add(group.functionPath);
      }
    }
  }
  for (const [functionPath] of movedOf) {
    const target = targets.get(functionPath);
    if (target && !stayed.has(functionPath)) {
      Annotations.of(target.fn).acknowledgeWarning(PERMISSIONS_TO_ALIAS_WARNING,
        `MakeFunctionsSafe moved the invoke permissions of ${target.fn.node.path} to its alias ${target.alias.node.path}`);
    }
  }
}

const SKIP_REASON: Record<RebindSkip, string> = {
  [RebindSkip.NOT_RENDERABLE]: 'the value could not be rendered with its references kept',
  [RebindSkip.NO_TOKEN]: 'the function is named there by a raw logical ID or an imported value, not a reference',
  [RebindSkip.QUALIFIED_TEXT]: 'the reference is already followed by a qualifier such as :$LATEST',
};

function isUrlResource(c: IConstruct | undefined): boolean {
  return CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Url';
}

function keyOf(resource: CfnResource, propertyPath: string, functionPath: string): string {
  return `${resource.node.path}\u0000${propertyPath}\u0000${functionPath}`;
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
