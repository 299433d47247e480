/**
 * The version pruner: a custom resource handler that deletes a function's old versions after each
 * deployment, and never one that anything may still need (see `planPruning` for the rules).
 *
 * A failure never fails the deployment unless the resource is strict: the outcome is reported in the
 * log and in the response's Data (`Deleted`, `Kept`, `Errors`...).
 */
import { CodeDeployClient, DeploymentStatus, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  AliasConfiguration,
  DeleteFunctionCommand,
  EventSourceMappingConfiguration,
  FunctionConfiguration,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand,
  ProvisionedConcurrencyConfigListItem,
} from '@aws-sdk/client-lambda';
import * as lambdaSdk from '@aws-sdk/client-lambda';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { planProviderCap } from './private/capacity-provider-cap';
import { planPruning, Protection, versionQualifier } from './private/plan-pruning';
import { isStrict, parsePrunerProperties, PrunerProperties, rollbackTargets, RollbackTargets } from './private/pruner-properties';
import { PruningReport, reportData } from './private/pruner-report';
import { collectPages, DEFAULT_MAX_PAGES, withRetry } from './private/retry';

/**
 * The durable-execution listing, when the SDK of the runtime has it (the handler is bundled without
 * the SDK and runs on the runtime's own copy, which may predate durable functions). Read from the
 * module at run time, so that a missing command is `undefined` rather than a crash.
 */
const ListDurableExecutions: typeof lambdaSdk.ListDurableExecutionsByFunctionCommand | undefined =
  (lambdaSdk as Partial<typeof lambdaSdk>).ListDurableExecutionsByFunctionCommand;

/** The listing of a capacity provider's versions (Lambda Managed Instances), when the runtime's SDK has it. */
const ListProviderVersions: typeof lambdaSdk.ListFunctionVersionsByCapacityProviderCommand | undefined =
  (lambdaSdk as Partial<typeof lambdaSdk>).ListFunctionVersionsByCapacityProviderCommand;

/** What the handler answers CloudFormation. */
export interface PrunerResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly Data: Record<string, string>;
}

/** Everything outside the handler's own logic, replaceable in tests. */
export interface PrunerEnvironment {
  readonly lambda: LambdaClient;
  readonly codeDeploy: CodeDeployClient;
  /** Waits between retries. */
  readonly sleep: (ms: number) => Promise<void>;
  /** The clock, epoch milliseconds. */
  readonly now: () => number;
  /** Epoch milliseconds after which no further call is started. */
  readonly deadline: number;
  /** Longest wait for one AWS call (retries included separately); a call that takes longer fails. */
  readonly callTimeoutMs?: number;
  /** Set once the handler has answered: nothing further is started (a frozen run must not resume deleting later). */
  readonly cancelled?: { aborted: boolean };
}

/** CodeDeploy statuses of a deployment that has not finished. */
const UNFINISHED: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];

/**
 * SDK client settings: the SDK's default request timeout is none, so one stalled connection would
 * hold the handler until Lambda kills it and CloudFormation waits for an answer that never comes.
 */
export const CLIENT_CONFIG = {
  maxAttempts: 3,
  requestHandler: { requestTimeout: 10_000, connectionTimeout: 3_000 },
};

/** Longest wait for one AWS call, whatever the HTTP layer does. */
export const CALL_TIMEOUT_MS = 15_000;

/** Time kept back, at most, to answer CloudFormation before Lambda stops the handler. */
const RESPONSE_MARGIN_MS = 20_000;
/** Time kept back, at most, beyond one call's timeout, between the last call started and the answer. */
const WORK_MARGIN_MS = 1_000;
/** Remaining time assumed when the context cannot tell (a malformed invocation). */
const FALLBACK_REMAINING_MS = 60_000;

/** The SDK clients the deployed handler uses. */
export function createClients(): { lambda: LambdaClient; codeDeploy: CodeDeployClient } {
  return { lambda: new LambdaClient(CLIENT_CONFIG), codeDeploy: new CodeDeployClient(CLIENT_CONFIG) };
}

/** The Lambda entry point: always answers CloudFormation before its own time runs out. */
export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  const started = Date.now();
  const remaining = remainingMillis(context);
  const respondAt = started + remaining - Math.min(RESPONSE_MARGIN_MS, remaining / 4);
  const cancelled = { aborted: false };
  let env: PrunerEnvironment | undefined;
  let response: PrunerResponse;
  try {
    env = {
      ...createClients(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: Date.now,
      // A call started just before this still ends (or times out) before the answer is due.
      deadline: respondAt - Math.min(CALL_TIMEOUT_MS + WORK_MARGIN_MS, remaining / 8),
      callTimeoutMs: CALL_TIMEOUT_MS,
      cancelled,
    };
    response = await answerInTime(event, env, respondAt);
  } catch (error) {
    response = fallbackResponse(event, error);
  }
  cancelled.aborted = true;
  await sendResponse(event, response, started + remaining - Math.min(2_000, remaining / 20));
}

/**
 * Races the handling of `event` against `respondAt`: whichever comes first is the answer. A run that
 * loses is cancelled (it starts no further call); the versions it already deleted were candidates.
 */
export async function answerInTime(event: unknown, env: PrunerEnvironment, respondAt: number): Promise<PrunerResponse> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<PrunerResponse>((resolve) => {
    timer = setTimeout(() => {
      if (env.cancelled) env.cancelled.aborted = true;
      resolve(fallbackResponse(event, new Error('version pruning ran out of time; the next deployment continues')));
    }, Math.max(0, respondAt - env.now()));
  });
  try {
    return await Promise.race([onEvent(event, env), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function remainingMillis(context: unknown): number {
  try {
    const ms = (context as Context | undefined)?.getRemainingTimeInMillis?.();
    return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : FALLBACK_REMAINING_MS;
  } catch {
    return FALLBACK_REMAINING_MS;
  }
}

/** Handles one custom resource event and returns the response; never throws, whatever the event. */
export async function onEvent(event: unknown, env: PrunerEnvironment): Promise<PrunerResponse> {
  try {
    return await decide(event, env);
  } catch (error) {
    return fallbackResponse(event, error);
  }
}

async function decide(raw: unknown, env: PrunerEnvironment): Promise<PrunerResponse> {
  if (!raw || typeof raw !== 'object') throw new Error(`malformed event: ${JSON.stringify(raw)}`);
  const event = raw as CloudFormationCustomResourceEvent;
  const physicalId = physicalIdOf(event);
  if (event.RequestType === 'Delete') {
    // Deleting the resource (or the whole stack) leaves the versions alone: the function's own deletion removes them.
    return { Status: 'SUCCESS', PhysicalResourceId: physicalId, Data: {} };
  }
  if (event.RequestType !== 'Create' && event.RequestType !== 'Update') {
    throw new Error(`malformed event: RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`);
  }

  const strict = isStrict(event.ResourceProperties);
  let report: PruningReport;
  try {
    const props = parsePrunerProperties(event.ResourceProperties);
    // CloudFormation moves every alias back to its previous target if the deployment rolls back,
    // so those versions must survive this run. Only an Update carries them (OldResourceProperties).
    const rollback = event.RequestType === 'Update'
      ? rollbackTargets(event.OldResourceProperties)
      : { versions: [], complete: false };
    report = await prune(props, rollback, env);
  } catch (error) {
    report = { deleted: [], wouldDelete: [], kept: [], errors: [describe(error)], dryRun: false };
  }

  console.log(JSON.stringify({ event: event.RequestType, resource: event.LogicalResourceId, ...report }));
  return respond(physicalId, strict, report);
}

function respond(physicalId: string, strict: boolean, report: PruningReport): PrunerResponse {
  const failed = strict && report.errors.length > 0;
  return {
    Status: failed ? 'FAILED' : 'SUCCESS',
    Reason: failed ? `Version pruning failed (strict): ${report.errors.join(' | ')}`.slice(0, 800) : undefined,
    PhysicalResourceId: physicalId,
    Data: reportData(report),
  };
}

/** The answer when the handling itself failed or ran out of time: SUCCESS unless the resource is strict. */
export function fallbackResponse(event: unknown, error: unknown): PrunerResponse {
  const e = (event && typeof event === 'object' ? event : {}) as Partial<CloudFormationCustomResourceEvent>;
  let physicalId = 'cdk-safe-lambda-version-pruner';
  try {
    physicalId = physicalIdOf(e as CloudFormationCustomResourceEvent);
  } catch {
    // keep the generic id
  }
  // A Delete never fails: a failed Delete would block the stack's own deletion.
  const strict = e.RequestType !== 'Delete' && isStrict(e.ResourceProperties);
  console.error(JSON.stringify({ event: e.RequestType, resource: e.LogicalResourceId, error: describe(error) }));
  return respond(physicalId, strict, { deleted: [], wouldDelete: [], kept: [], errors: [describe(error)], dryRun: false });
}

function physicalIdOf(event: CloudFormationCustomResourceEvent): string {
  const existing = (event as { PhysicalResourceId?: unknown }).PhysicalResourceId;
  if (event.RequestType !== 'Create' && typeof existing === 'string' && existing !== '') return existing;
  const props: Record<string, unknown> = event.ResourceProperties && typeof event.ResourceProperties === 'object' ? event.ResourceProperties : {};
  const name = typeof props.FunctionName === 'string' ? props.FunctionName : 'unknown';
  const logical = typeof event.LogicalResourceId === 'string' ? event.LogicalResourceId : 'VersionPruner';
  return `${logical}-${name}`.slice(0, 200);
}

/** Lists, plans and deletes. A failed list call throws: without all the facts nothing is deleted. */
async function prune(props: PrunerProperties, rollback: RollbackTargets, env: PrunerEnvironment): Promise<PruningReport> {
  // Every call: refused once the handler has answered or run out of time, bounded in duration,
  // retried when throttled.
  const call = <T>(send: () => Promise<T>) => withRetry(() => {
    if (env.cancelled?.aborted) return Promise.reject(new Error('cancelled: the handler has already answered'));
    if (env.now() >= env.deadline) return Promise.reject(new Error('out of time before the call started'));
    return withTimeout(send(), env.callTimeoutMs ?? CALL_TIMEOUT_MS);
  }, { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 8_000, sleep: env.sleep, now: env.now, deadline: env.deadline });
  const limits = { maxPages: DEFAULT_MAX_PAGES, deadline: env.deadline, now: env.now };
  const fn = props.functionName;

  const versions = await collectPages<FunctionConfiguration>(async (Marker) => {
    const r = await call(() => env.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.Versions, next: r.NextMarker };
  }, limits);
  const aliases = await collectPages<AliasConfiguration>(async (Marker) => {
    const r = await call(() => env.lambda.send(new ListAliasesCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.Aliases, next: r.NextMarker };
  }, limits);
  const provisioned = await collectPages<ProvisionedConcurrencyConfigListItem>(async (Marker) => {
    const r = await call(() => env.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.ProvisionedConcurrencyConfigs, next: r.NextMarker };
  }, limits);
  const listMappings = (functionName: string) => collectPages<EventSourceMappingConfiguration>(async (Marker) => {
    const r = await call(() => env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionName, Marker, MaxItems: 100 })));
    return { items: r.EventSourceMappings, next: r.NextMarker };
  }, limits);
  const mappings = await listMappings(fn);

  const protections: Protection[] = [];
  for (const a of aliases) {
    if (a.FunctionVersion) protections.push({ version: a.FunctionVersion, reason: `alias ${a.Name}` });
    for (const routed of Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {})) {
      protections.push({ version: routed, reason: `weighted routing of alias ${a.Name}` });
    }
  }
  for (const pc of provisioned) {
    const v = versionQualifier(pc.FunctionArn);
    if (v) protections.push({ version: v, reason: 'provisioned concurrency' });
  }
  for (const m of mappings) {
    const v = versionQualifier(m.FunctionArn);
    if (v) protections.push({ version: v, reason: `event source mapping ${m.UUID}` });
  }
  protections.push({ version: props.currentVersion, reason: 'published by this deployment' });
  protections.push({ version: props.liveVersion, reason: `alias ${props.aliasName} after this deployment` });
  for (const a of props.aliases ?? []) {
    for (const v of [a.version, ...(a.routed ?? [])]) protections.push({ version: v, reason: `alias ${a.name} after this deployment` });
  }
  for (const v of rollback.versions) protections.push({ version: v, reason: 'rollback target' });

  const blockers: string[] = [];
  if (!rollback.complete) {
    // On Create, or after an upgrade from a release that recorded only the live alias, the aliases
    // may have moved in this very deployment from versions nobody recorded. Deleting nothing this
    // once is the only safe choice; the next deployment knows every alias's previous target.
    blockers.push('first run: the previous targets of the aliases are not recorded yet, so nothing is deleted until the next deployment');
  }
  if (props.codeDeployApplication && props.codeDeployDeploymentGroup) {
    const running = await collectPages<string>(async (nextToken) => {
      const r = await call(() => env.codeDeploy.send(new ListDeploymentsCommand({
        applicationName: props.codeDeployApplication,
        deploymentGroupName: props.codeDeployDeploymentGroup,
        includeOnlyStatuses: UNFINISHED,
        nextToken,
      })));
      return { items: r.deployments, next: r.nextToken };
    }, limits);
    if (running.length > 0) blockers.push(`CodeDeploy deployment ${running.join(', ')} in progress`);
  }

  const plan = planPruning({
    versions: versions.map((v) => ({ version: v.Version ?? '', lastModified: v.LastModified })),
    retain: props.retainVersions,
    minAgeSeconds: props.minAgeSeconds,
    maxDeletions: props.maxDeletions,
    now: env.now(),
    protections,
    blockedBy: blockers.length > 0 ? blockers.join('; ') : undefined,
  });

  // Durable configuration is fixed when the function is created, so one durable version means all are.
  const durable = versions.some((v) => v.DurableConfig !== undefined && v.DurableConfig !== null);
  const runningExecution = async (version: string): Promise<string | undefined> => {
    let found: string | undefined;
    await collectPages<unknown>(async (Marker) => {
      const r = await call(() => env.lambda.send(new ListDurableExecutions!({ FunctionName: fn, Qualifier: version, Statuses: ['RUNNING'], Marker, MaxItems: 50 })));
      // Checked here as well: an execution that has not ended is running, whatever the filter did.
      found = (r.DurableExecutions ?? []).find((x) => !ENDED.has(String(x.Status)))?.DurableExecutionArn ?? found;
      return { items: [], next: found ? undefined : r.NextMarker };
    }, limits);
    return found;
  };

  const errors: string[] = [];
  const warnings: string[] = [];
  // Lambda Managed Instances: the provider's cap of 100 versions is shared by all its functions
  // (issue #17 §1), so the versions only the newest-N rule keeps may have to go as well.
  const extra = await providerCapDeletions(versions, plan, props, (command) => call(() => env.lambda.send(command)), limits, { errors, warnings });

  const kept = plan.keep.filter((k) => !extra.includes(k.version));
  const deleted: string[] = [];
  const wouldDelete: string[] = [];
  const alreadyDeleted: string[] = [];
  for (const version of [...plan.delete, ...extra]) {
    if (env.now() >= env.deadline || env.cancelled?.aborted) {
      kept.push({ version, reasons: ['out of time; the next deployment continues'] });
      continue;
    }
    try {
      if (!ListDurableExecutions) {
        // The SDK that lacks the listing also drops DurableConfig from the version listing, so
        // whether the function is durable cannot be told either: keep, never guess.
        kept.push({ version, reasons: ['this runtime\'s AWS SDK cannot list durable executions (nor tell a durable function)'] });
        continue;
      }
      const execution = durable ? await runningExecution(version) : undefined;
      if (execution) {
        kept.push({ version, reasons: [`durable execution ${execution} still running`] });
        continue;
      }
      // Asked per version as well: the unqualified listing is not documented to include mappings
      // bound to a version, and a mapping on a deleted version stops delivering.
      const bound = await listMappings(`${fn}:${version}`);
      if (bound.length > 0) {
        kept.push({ version, reasons: bound.map((m) => `event source mapping ${m.UUID}`) });
      } else if (props.dryRun) {
        wouldDelete.push(version);
      } else {
        await call(() => env.lambda.send(new DeleteFunctionCommand({ FunctionName: fn, Qualifier: version })));
        deleted.push(version);
      }
    } catch (error) {
      if (isNotFound(error)) {
        // Someone else deleted it between the listing and now: the goal is reached (issue #18 §7),
        // even in strict mode.
        alreadyDeleted.push(version);
      } else if (isEdgeReplica(error)) {
        // CloudFront still holds replicas of it; they are purged hours after the association goes.
        kept.push({ version, reasons: ['Lambda@Edge replica still exists'] });
      } else {
        kept.push({ version, reasons: ['not deleted: a check or the deletion failed'] });
        errors.push(`version ${version}: ${describe(error)}`);
      }
    }
  }
  if (!ListDurableExecutions && plan.delete.length > 0) {
    console.log('cdk-safe-lambda: ListDurableExecutionsByFunctionCommand is missing from the @aws-sdk/client-lambda of this runtime, '
      + 'which therefore predates durable functions and cannot tell whether executions still run on a version; '
      + 'nothing is deleted rather than guessed. A newer Lambda runtime SDK lifts this.');
  }
  return { deleted, wouldDelete, kept, errors, dryRun: props.dryRun, alreadyDeleted, warnings };
}

/**
 * The versions of this function to delete beyond its plan so that its capacity provider keeps room
 * for each of its functions to publish one version (none when it runs on no provider). A failure to
 * list the provider is an error and adds nothing; a runtime SDK without the listing is a warning.
 */
async function providerCapDeletions(
  versions: FunctionConfiguration[],
  plan: ReturnType<typeof planPruning>,
  props: PrunerProperties,
  send: (command: lambdaSdk.ListFunctionVersionsByCapacityProviderCommand) => Promise<lambdaSdk.ListFunctionVersionsByCapacityProviderCommandOutput>,
  limits: { maxPages: number; deadline: number; now: () => number },
  report: { errors: string[]; warnings: string[] },
): Promise<string[]> {
  const providerArn = versions
    .map((v) => v.CapacityProviderConfig?.LambdaManagedInstancesCapacityProviderConfig?.CapacityProviderArn)
    .find((arn): arn is string => typeof arn === 'string' && arn !== '');
  if (!providerArn) return [];
  if (!ListProviderVersions) {
    report.warnings.push(`capacity provider ${providerArn}: this runtime's AWS SDK cannot list the provider's versions, so only this function's own count was kept`);
    return [];
  }
  try {
    // The API takes the provider's name: the ARN's last part (`...:capacity-provider:<name>`).
    const name = providerArn.split(/[:/]/).pop()!;
    const listed = await collectPages<string>(async (Marker) => {
      const r = await send(new ListProviderVersions({ CapacityProviderName: name, Marker, MaxItems: 50 }));
      return { items: (r.FunctionVersions ?? []).map((v) => v.FunctionArn ?? ''), next: r.NextMarker };
    }, limits);
    const cap = planProviderCap({
      providerArn,
      providerVersionArns: listed,
      functionName: functionNameOf(props.functionName),
      plannedDeletions: plan.delete,
      keptOnlyByCount: plan.keptOnlyByCount,
      deletionsLeft: props.maxDeletions - plan.delete.length,
    });
    if (cap.warning) report.warnings.push(cap.warning);
    return cap.extra;
  } catch (error) {
    report.errors.push(`capacity provider ${providerArn}: ${describe(error)}`);
    return [];
  }
}

/** The bare name of a function given by name or ARN. */
function functionNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[6] ?? nameOrArn : nameOrArn;
}

/** Durable execution statuses that mean the execution has ended. */
const ENDED = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED']);

/** Rejects when `promise` has not settled within `ms` (a stalled connection, a hung endpoint). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The version (or the function) no longer exists. */
function isNotFound(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ResourceNotFoundException';
}

/** Lambda refuses to delete a Lambda@Edge version while CloudFront replicas of it exist. */
function isEdgeReplica(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === 'InvalidParameterValueException' && /replicated function/i.test(e.message ?? '');
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return e && typeof e === 'object' ? `${e.name ?? 'Error'}: ${e.message ?? String(error)}` : String(error);
}

/**
 * Answers CloudFormation through the pre-signed URL of the event; retried, since a lost answer
 * stalls the stack, but each attempt bounded and none started after `deadline`.
 */
export async function sendResponse(event: CloudFormationCustomResourceEvent, response: PrunerResponse, deadline?: number): Promise<void> {
  const e = (event && typeof event === 'object' ? event : {}) as Partial<CloudFormationCustomResourceEvent>;
  if (typeof e.ResponseURL !== 'string' || e.ResponseURL === '') {
    console.error(`cannot answer CloudFormation: the event has no ResponseURL (${JSON.stringify(response)})`);
    return;
  }
  const body = JSON.stringify({
    ...response,
    StackId: e.StackId,
    RequestId: e.RequestId,
    LogicalResourceId: e.LogicalResourceId,
  });
  const end = deadline ?? Date.now() + 30_000;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const left = end - Date.now();
    if (left <= 0) break;
    try {
      const r = await fetch(e.ResponseURL, {
        method: 'PUT', body, headers: { 'content-type': '' }, signal: AbortSignal.timeout(Math.min(5_000, left)),
      });
      if (r.ok) return;
      console.error(`CloudFormation response rejected: HTTP ${r.status}`);
    } catch (error) {
      console.error(`CloudFormation response failed: ${describe(error)}`);
    }
    if (attempt < 3) await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(1000 * attempt, end - Date.now() - 1_000))));
  }
}
