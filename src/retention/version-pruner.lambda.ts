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
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { planPruning, Protection, versionQualifier } from './private/plan-pruning';
import { isStrict, parsePrunerProperties, PrunerProperties, rollbackTargets } from './private/pruner-properties';
import { PruningReport, reportData } from './private/pruner-report';
import { collectPages, withRetry } from './private/retry';

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
}

/** CodeDeploy statuses of a deployment that has not finished. */
const UNFINISHED: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];

/** Time kept back to answer CloudFormation before Lambda stops the handler. */
const RESPONSE_MARGIN_MS = 20_000;

export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  const response = await onEvent(event, {
    lambda: new LambdaClient({}),
    codeDeploy: new CodeDeployClient({}),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    deadline: Date.now() + context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS,
  });
  await sendResponse(event, response);
}

/** Handles one custom resource event and returns the response; never throws. */
export async function onEvent(event: CloudFormationCustomResourceEvent, env: PrunerEnvironment): Promise<PrunerResponse> {
  const physicalId = event.RequestType === 'Create'
    ? `${event.LogicalResourceId}-${String(event.ResourceProperties.FunctionName ?? 'unknown')}`.slice(0, 200)
    : event.PhysicalResourceId;
  if (event.RequestType === 'Delete') {
    // Deleting the resource (or the whole stack) leaves the versions alone: the function's own deletion removes them.
    return { Status: 'SUCCESS', PhysicalResourceId: physicalId, Data: {} };
  }

  const strict = isStrict(event.ResourceProperties);
  let report: PruningReport;
  try {
    const props = parsePrunerProperties(event.ResourceProperties);
    // The version the alias pointed to before this deployment: CloudFormation moves the alias back
    // to it if the update rolls back, so it must survive this run.
    const rollback = event.RequestType === 'Update' ? rollbackTargets(event.OldResourceProperties) : [];
    report = await prune(props, rollback, env);
  } catch (error) {
    report = { deleted: [], wouldDelete: [], kept: [], errors: [describe(error)], dryRun: false };
  }

  console.log(JSON.stringify({ event: event.RequestType, resource: event.LogicalResourceId, ...report }));
  const failed = strict && report.errors.length > 0;
  return {
    Status: failed ? 'FAILED' : 'SUCCESS',
    Reason: failed ? `Version pruning failed (strict): ${report.errors.join(' | ')}`.slice(0, 1000) : undefined,
    PhysicalResourceId: physicalId,
    Data: reportData(report),
  };
}

/** Lists, plans and deletes. A failed list call throws: without all the facts nothing is deleted. */
async function prune(props: PrunerProperties, rollback: string[], env: PrunerEnvironment): Promise<PruningReport> {
  const retry = <T>(call: () => Promise<T>) => withRetry(call, {
    maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 8_000, sleep: env.sleep, now: env.now, deadline: env.deadline,
  });
  const fn = props.functionName;

  const versions = await collectPages<FunctionConfiguration>(async (Marker) => {
    const r = await retry(() => env.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.Versions, next: r.NextMarker };
  });
  const aliases = await collectPages<AliasConfiguration>(async (Marker) => {
    const r = await retry(() => env.lambda.send(new ListAliasesCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.Aliases, next: r.NextMarker };
  });
  const provisioned = await collectPages<ProvisionedConcurrencyConfigListItem>(async (Marker) => {
    const r = await retry(() => env.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.ProvisionedConcurrencyConfigs, next: r.NextMarker };
  });
  const listMappings = (functionName: string) => collectPages<EventSourceMappingConfiguration>(async (Marker) => {
    const r = await retry(() => env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionName, Marker, MaxItems: 100 })));
    return { items: r.EventSourceMappings, next: r.NextMarker };
  });
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
  for (const v of rollback) protections.push({ version: v, reason: 'rollback target' });

  let blockedBy: string | undefined;
  if (props.codeDeployApplication && props.codeDeployDeploymentGroup) {
    const running = await collectPages<string>(async (nextToken) => {
      const r = await retry(() => env.codeDeploy.send(new ListDeploymentsCommand({
        applicationName: props.codeDeployApplication,
        deploymentGroupName: props.codeDeployDeploymentGroup,
        includeOnlyStatuses: UNFINISHED,
        nextToken,
      })));
      return { items: r.deployments, next: r.nextToken };
    });
    if (running.length > 0) blockedBy = `CodeDeploy deployment ${running.join(', ')} in progress`;
  }

  const plan = planPruning({
    versions: versions.map((v) => ({ version: v.Version ?? '', lastModified: v.LastModified })),
    retain: props.retainVersions,
    minAgeSeconds: props.minAgeSeconds,
    maxDeletions: props.maxDeletions,
    now: env.now(),
    protections,
    blockedBy,
  });

  const kept = [...plan.keep];
  const deleted: string[] = [];
  const wouldDelete: string[] = [];
  const errors: string[] = [];
  for (const version of plan.delete) {
    if (env.now() >= env.deadline) {
      kept.push({ version, reasons: ['out of time; the next deployment continues'] });
      continue;
    }
    try {
      // Asked per version as well: the unqualified listing is not documented to include mappings
      // bound to a version, and a mapping on a deleted version stops delivering.
      const bound = await listMappings(`${fn}:${version}`);
      if (bound.length > 0) {
        kept.push({ version, reasons: bound.map((m) => `event source mapping ${m.UUID}`) });
      } else if (props.dryRun) {
        wouldDelete.push(version);
      } else {
        await retry(() => env.lambda.send(new DeleteFunctionCommand({ FunctionName: fn, Qualifier: version })));
        deleted.push(version);
      }
    } catch (error) {
      if (isEdgeReplica(error)) {
        // CloudFront still holds replicas of it; they are purged hours after the association goes.
        kept.push({ version, reasons: ['Lambda@Edge replica still exists'] });
      } else {
        kept.push({ version, reasons: ['delete failed'] });
        errors.push(`version ${version}: ${describe(error)}`);
      }
    }
  }
  return { deleted, wouldDelete, kept, errors, dryRun: props.dryRun };
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

/** Answers CloudFormation through the pre-signed URL of the event; retried, since a lost answer stalls the stack. */
export async function sendResponse(event: CloudFormationCustomResourceEvent, response: PrunerResponse): Promise<void> {
  const body = JSON.stringify({
    ...response,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const r = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
      if (r.ok) return;
      console.error(`CloudFormation response rejected: HTTP ${r.status}`);
    } catch (error) {
      console.error(`CloudFormation response failed: ${describe(error)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
  }
}
