import { Annotations, CfnDeletionPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { capacityProviderIdentity, CapacityProviderIdentity } from './capacity-provider-identity';
import { isWarningAcknowledged } from '../../private/acknowledgements';
import { RetentionWarnings } from '../retention-warnings';
import { SafeFunctionRetentionOptions } from '../safe-function-retention-options';

/**
 * Lambda Managed Instances: "Function versions per capacity provider: 100 … Cannot be increased",
 * shared by every function on the provider (issue #17 §1). Past it, publishing fails with
 * `FunctionVersionsPerCapacityProviderLimitExceededException`, for every function on the provider.
 */
export const VERSIONS_PER_CAPACITY_PROVIDER = 100;

/**
 * Synthesis warns from here on. The sum below counts what the SafeFunctions of the app may hold; it
 * cannot see versions younger than `pruneMinAge` from several deployments in a row, functions
 * outside the app or plain functions on the same provider, nor versions published by hand. A cap that
 * cannot be raised and blocks every function on the provider deserves that margin of 20.
 */
export const VERSION_BUDGET_WARNING_AT = 80;

/** One SafeFunction (or SafeAlias) whose versions count against its provider's cap. */
export interface BudgetMember {
  /** The SafeFunction or SafeAlias. */
  readonly owner: IConstruct;
  readonly function: lambda.Function;
  /** The version this deployment publishes. */
  readonly version: lambda.IVersion;
  readonly options: SafeFunctionRetentionOptions;
}

/** What one member may hold at once: a number, or why it cannot be counted. */
interface MemberCount {
  readonly member: BudgetMember;
  readonly provider: CapacityProviderIdentity;
  /** Undefined when unknown (a deploy-time retainVersions) or unbounded (versions retained with no pruner). */
  readonly versions?: number;
  readonly why: string;
}

const MEMBERS = new WeakMap<IConstruct, BudgetMember[]>();
/** Counts of one synthesis, computed by the first member validated and dropped once synthesis has returned. */
const COUNTS = new WeakMap<IConstruct, MemberCount[]>();

/**
 * Checks, at synth, that the SafeFunctions on one capacity provider cannot hold more than its 100
 * versions together: a warning from 80 on, an error past 100, each naming the provider, every
 * function's share and the fix. The app is one pool, whatever stack or Stage a function is in.
 */
export function watchVersionBudget(member: BudgetMember): void {
  const root = member.owner.node.root;
  const members = MEMBERS.get(root) ?? [];
  MEMBERS.set(root, members);
  members.push(member);
  // Validation runs after every aspect, so aliases and deployment settings added late count.
  member.owner.node.addValidation({ validate: () => findings(member) });
}

function findings(member: BudgetMember): string[] {
  const counts = countsOf(member.owner.node.root);
  const own = counts.find((c) => c.member === member);
  if (!own) return [];
  const group = counts.filter((c) => c.provider.key === own.provider.key);
  // Reported once per Stage (a Stage may be synthesized on its own, as CDK Pipelines does), by the
  // first of the group in it.
  const stage = stageOf(member.owner);
  const leader = group.filter((c) => stageOf(c.member.owner) === stage)
    .sort((a, b) => a.member.owner.node.path.localeCompare(b.member.owner.node.path))[0];
  if (leader !== own) return [];

  const counted = group.filter((c) => c.versions !== undefined);
  const uncounted = group.filter((c) => c.versions === undefined);
  const sum = counted.reduce((total, c) => total + c.versions!, 0);
  const provider = own.provider.display;
  const shares = [...counted, ...uncounted].map((c) => `  ${c.member.owner.node.path}: ${c.why}`).join('\n');
  const fix = `Fix: lower retainVersions (each function holds about retainVersions + 1 while it deploys) so the sum stays under ${VERSION_BUDGET_WARNING_AT}, `
    + 'or spread the functions over more capacity providers. Lambda cannot raise this cap.';
  const path = member.owner.node.path;

  if (own.provider.deployTime || uncounted.length > 0) {
    Annotations.of(member.owner).addInfo(`${path}: ${sum} of its capacity provider's ${VERSIONS_PER_CAPACITY_PROVIDER} versions counted `
      + `for ${counted.length} SafeFunction(s)`
      + (own.provider.deployTime ? '; it is known only at deploy time, so functions that name it differently are not counted with these' : '')
      + (uncounted.length > 0 ? `; ${uncounted.length} could not be counted (see below)` : '')
      + `.\n  capacity provider: ${provider}\n${shares}`);
  }
  if (sum > VERSIONS_PER_CAPACITY_PROVIDER) {
    return [`the SafeFunctions on one capacity provider may hold ${sum} versions, over Lambda's cap of ${VERSIONS_PER_CAPACITY_PROVIDER} per provider\n`
      + `  capacity provider: ${provider}\n${shares}\nPast the cap, publishing fails for every function on the provider (FunctionVersionsPerCapacityProviderLimitExceededException).\n${fix}`];
  }
  const unbounded = uncounted.filter((c) => c.why.startsWith('unbounded'));
  const acknowledged = isWarningAcknowledged(member.owner, RetentionWarnings.CAPACITY_PROVIDER_VERSION_BUDGET);
  if ((sum >= VERSION_BUDGET_WARNING_AT || unbounded.length > 0) && !acknowledged) {
    const what = sum >= VERSION_BUDGET_WARNING_AT
      ? `may hold ${sum} of its ${VERSIONS_PER_CAPACITY_PROVIDER} versions (a warning from ${VERSION_BUDGET_WARNING_AT})`
      : `holds ${sum} counted versions, but ${unbounded.length} SafeFunction(s) retain every version`;
    Annotations.of(member.owner).addWarningV2(RetentionWarnings.CAPACITY_PROVIDER_VERSION_BUDGET,
      `${path}: its capacity provider ${what}.\n  capacity provider: ${provider}\n${shares}\n${fix}`
      + (unbounded.length > 0 ? ' A function that retains versions without retainVersions needs retainVersions.' : ''));
  }
  return [];
}

function stageOf(c: IConstruct): IConstruct {
  return Stage.of(c) ?? c.node.root;
}

function countsOf(root: IConstruct): MemberCount[] {
  const cached = COUNTS.get(root);
  if (cached) return cached;
  const counts: MemberCount[] = [];
  for (const member of MEMBERS.get(root) ?? []) {
    const provider = capacityProviderIdentity(member.function);
    if (provider) counts.push({ member, provider, ...countOf(member) });
  }
  COUNTS.set(root, counts);
  // Synthesis is synchronous: the next one (after more changes) counts again.
  queueMicrotask(() => COUNTS.delete(root));
  return counts;
}

/**
 * The most versions one SafeFunction holds at once:
 * - retained: the newest `retainVersions`, and never fewer than 2 (with `retainVersions: 1` the
 *   previous live version stays as the rollback target until the next deployment); without
 *   retainVersions, CloudFormation deletes a replaced version: 1; retained with no pruner: unbounded;
 * - in flight: +1, the version a deployment publishes before the replaced one goes (after every
 *   alias has moved, a canary included);
 * - alias targets: +1 for each other version an alias of the function is pinned or routes to.
 */
function countOf(member: BudgetMember): { versions?: number; why: string } {
  const retain = member.options.retainVersions;
  const extra = aliasTargetsBeyondCurrent(member);
  const extraText = extra > 0 ? `, +${extra} other version(s) its aliases point or route to` : '';
  if (retain !== undefined && Token.isUnresolved(retain)) {
    return { why: 'not counted: retainVersions is only known at deploy time' };
  }
  if (retain === undefined) {
    const versionResource = member.version.node.defaultChild as { cfnOptions?: { deletionPolicy?: CfnDeletionPolicy } } | undefined;
    if (versionResource?.cfnOptions?.deletionPolicy === CfnDeletionPolicy.RETAIN) {
      return { why: 'unbounded: replaced versions are retained and no pruner deletes them (set retainVersions)' };
    }
    return { versions: 2 + extra, why: `${2 + extra} (the current version, +1 in flight${extraText})` };
  }
  const retained = Math.max(retain, 2);
  const retainedText = retain === 1 ? 'retainVersions 1 and the rollback target' : `retainVersions ${retain}`;
  return { versions: retained + 1 + extra, why: `${retained + 1 + extra} (${retainedText}, +1 in flight${extraText})` };
}

/** Distinct versions the function's aliases in its stack point or route to, other than the current one. */
function aliasTargetsBeyondCurrent(member: BudgetMember): number {
  const stack = Stack.of(member.function);
  const cfn = member.function.node.defaultChild as lambda.CfnFunction;
  const fnId = JSON.stringify(stack.resolve(cfn.logicalId));
  const own = new Set([member.function.functionName, member.function.functionArn].map((v) => JSON.stringify(stack.resolve(v))));
  const current = JSON.stringify(stack.resolve(member.version.version));
  const targets = new Set<string>();
  for (const node of stack.node.findAll()) {
    if (!(node instanceof lambda.CfnAlias) || Stack.of(node) !== stack) continue;
    const name = JSON.stringify(stack.resolve(node.functionName));
    if (!own.has(name) && !name.includes(`{"Ref":${fnId}}`) && !name.includes(`{"Fn::GetAtt":[${fnId},"Arn"]}`)) continue;
    targets.add(JSON.stringify(stack.resolve(node.functionVersion)));
    const routing = stack.resolve(node.routingConfig);
    const weights = routing?.additionalVersionWeights ?? routing?.AdditionalVersionWeights;
    for (const w of Array.isArray(weights) ? weights : []) {
      targets.add(JSON.stringify(w?.functionVersion ?? w?.FunctionVersion));
    }
  }
  targets.delete(current);
  return targets.size;
}
