import { CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  AliasConfiguration,
  DeleteFunctionCommand,
  LambdaClient,
  ListAliasesCommand,
  ListDurableExecutionsByFunctionCommand,
  ListEventSourceMappingsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListFunctionVersionsByCapacityProviderCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { PrunerEnvironment } from '../../src/retention/version-pruner.lambda';

export const FN = 'orders-Fn-ABC';
export const ARN = `arn:aws:lambda:eu-west-1:123456789012:function:${FN}`;
export const NOW = Date.parse('2026-11-22T06:00:00.000Z');
/** A LastModified two days before NOW, in Lambda's format (offset without a colon). */
export const OLD = '2026-11-20T06:00:00.000+0000';

export const lambdaMock = mockClient(LambdaClient);
export const codeDeployMock = mockClient(CodeDeployClient);

/** What the fake account holds for the function under test. */
export interface Account {
  /** Version numbers (without `$LATEST`, which is always added first); LastModified defaults to OLD. */
  versions: number[];
  lastModified?: Record<number, string>;
  aliases?: AliasConfiguration[];
  /** Qualifiers with provisioned concurrency (`7` or an alias name). */
  provisioned?: string[];
  /** Qualifiers with an event source mapping, returned by the unqualified listing. */
  mappings?: string[];
  /** Qualifiers whose mapping only a query with the qualified name returns. */
  qualifiedOnlyMappings?: string[];
  pageSize?: number;
  /** Deployment ids CodeDeploy reports as unfinished. */
  deployments?: string[];
  /** A durable function: every version carries a DurableConfig. */
  durable?: boolean;
  /** Durable executions per version, by status (`RUNNING`, `SUCCEEDED`...); served ignoring the Statuses filter, the worst case. */
  executions?: Record<number, string[]>;
  /**
   * Lambda Managed Instances: every version carries this capacity provider, whose listing serves the
   * function's versions (as they stand, deletions included) and `others` (qualified ARNs of other functions).
   */
  capacityProvider?: { arn: string; others: string[] };
}

/** Splits items into pages addressed by `Marker` (`undefined` = first page, then `p1`, `p2`...). */
function paged<T>(items: T[], size: number, marker: string | undefined): { items: T[]; next?: string } {
  const index = marker === undefined ? 0 : Number(marker.slice(1));
  const next = (index + 1) * size < items.length ? `p${index + 1}` : undefined;
  return { items: items.slice(index * size, (index + 1) * size), next };
}

/** Resets both mocks and serves `account` through every list call, paginated; DeleteFunction succeeds. */
export function serve(account: Account): void {
  lambdaMock.reset();
  codeDeployMock.reset();
  const size = account.pageSize ?? 50;
  const versions = [{ Version: '$LATEST', LastModified: OLD }, ...account.versions.map((v) => ({
    Version: String(v), LastModified: account.lastModified?.[v] ?? OLD,
  }))].map((v) => (account.durable ? { ...v, DurableConfig: { ExecutionTimeout: 31_536_000 } } : v))
    .map((v) => (account.capacityProvider
      ? { ...v, CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: account.capacityProvider.arn } } }
      : v));
  lambdaMock.on(ListVersionsByFunctionCommand).callsFake((input) => {
    const p = paged(versions, size, input.Marker);
    return { Versions: p.items, NextMarker: p.next };
  });
  lambdaMock.on(ListAliasesCommand).callsFake((input) => {
    const p = paged(account.aliases ?? [], size, input.Marker);
    return { Aliases: p.items, NextMarker: p.next };
  });
  lambdaMock.on(ListProvisionedConcurrencyConfigsCommand).callsFake((input) => {
    const p = paged((account.provisioned ?? []).map((q) => ({ FunctionArn: `${ARN}:${q}` })), size, input.Marker);
    return { ProvisionedConcurrencyConfigs: p.items, NextMarker: p.next };
  });
  lambdaMock.on(ListEventSourceMappingsCommand).callsFake((input) => {
    const qualifier = input.FunctionName.includes(':') ? input.FunctionName.split(':')[1] : undefined;
    const all = qualifier === undefined
      ? (account.mappings ?? [])
      : [...(account.mappings ?? []), ...(account.qualifiedOnlyMappings ?? [])].filter((q) => q === qualifier);
    const p = paged(all.map((q, i) => ({ UUID: `esm-${q}-${i}`, FunctionArn: `${ARN}:${q}` })), size, input.Marker);
    return { EventSourceMappings: p.items, NextMarker: p.next };
  });
  lambdaMock.on(ListDurableExecutionsByFunctionCommand).callsFake((input) => {
    const statuses = account.executions?.[Number(input.Qualifier)] ?? [];
    const all = statuses.map((Status, i) => ({
      DurableExecutionArn: `${ARN}:${input.Qualifier}/durable-execution/e${i}`,
      DurableExecutionName: `e${i}`,
      FunctionArn: `${ARN}:${input.Qualifier}`,
      Status,
      StartTimestamp: new Date(NOW - 86_400_000),
    }));
    const p = paged(all, size, input.Marker);
    return { DurableExecutions: p.items, NextMarker: p.next };
  });
  lambdaMock.on(DeleteFunctionCommand).resolves({});
  lambdaMock.on(ListFunctionVersionsByCapacityProviderCommand).callsFake((input) => {
    const deleted = new Set(deletedVersions());
    const own = account.versions.filter((v) => !deleted.has(String(v))).map((v) => `${ARN}:${v}`);
    const p = paged([...own, ...(account.capacityProvider?.others ?? [])].map((FunctionArn) => ({ FunctionArn, State: 'Active' })), size, input.Marker);
    return { CapacityProviderArn: account.capacityProvider?.arn ?? `unknown:${input.CapacityProviderName}`, FunctionVersions: p.items, NextMarker: p.next };
  });
  codeDeployMock.on(ListDeploymentsCommand).callsFake((input) => {
    const p = paged(account.deployments ?? [], 2, input.nextToken);
    return { deployments: p.items, nextToken: p.next };
  });
}

/** Version numbers DeleteFunction was called with, in call order. */
export function deletedVersions(): string[] {
  return lambdaMock.commandCalls(DeleteFunctionCommand).map((c) => String(c.args[0].input.Qualifier));
}

/** An error as the SDK throws it. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

export interface EventOptions {
  requestType?: 'Create' | 'Update' | 'Delete';
  props?: Record<string, unknown>;
  oldProps?: Record<string, unknown>;
}

/** A custom resource event as CloudFormation sends it: every scalar property a string. */
export function event(o: EventOptions = {}): CloudFormationCustomResourceEvent {
  const ResourceProperties = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:pruner',
    FunctionName: FN,
    AliasName: 'live',
    CurrentVersion: '100',
    LiveVersion: '100',
    RetainVersions: '3',
    MinAgeSeconds: '3600',
    MaxDeletions: '50',
    DryRun: 'false',
    Strict: 'false',
    // As the construct renders it: every alias of the function in the stack (none beside live here).
    Aliases: [],
    ...o.props,
  };
  const base = {
    ServiceToken: ResourceProperties.ServiceToken,
    ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/orders/1',
    RequestId: 'req-1',
    LogicalResourceId: 'FnVersionPruner',
    ResourceType: 'Custom::SafeLambdaVersionPruner',
    ResourceProperties,
  };
  const type = o.requestType ?? 'Update';
  if (type === 'Create') return { ...base, RequestType: 'Create' };
  if (type === 'Delete') return { ...base, RequestType: 'Delete', PhysicalResourceId: 'pruner-id' };
  return {
    ...base,
    RequestType: 'Update',
    PhysicalResourceId: 'pruner-id',
    OldResourceProperties: { ...ResourceProperties, CurrentVersion: '99', LiveVersion: '99', ...o.oldProps },
  };
}

/** An environment with a fixed clock, an instant sleep that records its delays, and a far deadline. */
export function environment(overrides: Partial<PrunerEnvironment> = {}): PrunerEnvironment & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    codeDeploy: new CodeDeployClient({ region: 'eu-west-1' }),
    sleep: async (ms: number) => { sleeps.push(ms); },
    now: () => NOW,
    deadline: NOW + 60_000,
    ...overrides,
    sleeps,
  };
}

/** 1..n */
export function range(n: number, from = 1): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}
