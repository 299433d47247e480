import { createHash } from 'crypto';
import { Annotations, CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import { DeployReferences } from './deploy-references';
import { RebindTarget } from './rebind';
import { resolveRecordingReferences } from '../../private/references';

/** One property the migration rewrote to a function's alias. */
export interface MigrationRewrite {
  readonly resource: CfnResource;
  /** `Properties.Integration.Uri`. */
  readonly propertyPath: string;
  /** Construct path of the guarded function. */
  readonly functionPath: string;
  readonly target: RebindTarget;
}

/**
 * A kind of resource that freezes a copy of the configuration of a container (an API, a state
 * machine): every resource that names the same container through `containerProperty`, and the
 * container itself. A rewrite of any of them is served only once the copy is made again (issue #16).
 */
interface SnapshotKind {
  readonly type: string;
  /** The property of the snapshot, and of the container's parts, that names the container. */
  readonly containerProperty: string;
  /** What to do with a snapshot of a container some of whose resources were rewritten. */
  readonly refresh: (snapshot: CfnResource, container: Container, rewrites: MigrationRewrite[], refs: DeployReferences) => void;
  /** Whether a refreshed snapshot is served by the stages that reference it (a deployment). */
  readonly servedByStages?: boolean;
}

const STAGE_TYPES = new Set(['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage']);

const SNAPSHOT_KINDS: SnapshotKind[] = [
  // A REST API's stage serves a Deployment, the snapshot of every method, authorizer and resource.
  { type: 'AWS::ApiGateway::Deployment', containerProperty: 'RestApiId', refresh: newDeployment, servedByStages: true },
  // An HTTP or WebSocket API's deployment: aws-cdk-lib never makes one, a user may.
  { type: 'AWS::ApiGatewayV2::Deployment', containerProperty: 'ApiId', refresh: newDeployment, servedByStages: true },
  // A v2 stage that does not deploy by itself serves whatever deployment was made last.
  { type: 'AWS::ApiGatewayV2::Stage', containerProperty: 'ApiId', refresh: stageWithoutAutoDeploy },
  // A published state machine version freezes one revision of the definition.
  { type: 'AWS::StepFunctions::StateMachineVersion', containerProperty: 'StateMachineArn', refresh: fixedRevision },
];

/**
 * Makes every snapshot of a rewritten resource be taken again (issue #16): a REST API's Deployment
 * gets a new logical ID, so its stage serves the rewritten methods; what cannot be refreshed here is a
 * warning naming the snapshot and the fix. A `lambda.Version` needs nothing: its logical ID is a hash
 * of the function's rendered properties, overrides included.
 *
 * @returns each rewritten resource → what serves its new snapshot (the stages of a new deployment, and
 *   the deployment itself): the invokers that move when the update reaches them
 */
export function refreshSnapshots(rewrites: readonly MigrationRewrite[], resources: readonly CfnResource[],
  refs: DeployReferences): Map<CfnResource, CfnResource[]> {
  const servers = new Map<CfnResource, CfnResource[]>();
  if (rewrites.length === 0) {
    return servers;
  }
  const byType = new Map<string, CfnResource[]>();
  for (const resource of resources) {
    byType.set(resource.cfnResourceType, [...byType.get(resource.cfnResourceType) ?? [], resource]);
  }
  const stagesOf = (snapshot: CfnResource) => [...STAGE_TYPES].flatMap((t) => byType.get(t) ?? [])
    .filter((r) => refs.referencedAt(r, 'DeploymentId').some((d) => d.target === snapshot));
  const refreshed = new Set<Container>();
  for (const kind of SNAPSHOT_KINDS) {
    // A snapshot freezes resources of its own service (`AWS::ApiGateway::`): only those are read.
    const service = kind.type.slice(0, kind.type.lastIndexOf('::') + 2);
    for (const snapshot of byType.get(kind.type) ?? []) {
      for (const container of containersOf(snapshot, kind.containerProperty, refs)) {
        const parts = rewrites.filter((w) => w.resource === container || (w.resource.cfnResourceType.startsWith(service)
          && containersOf(w.resource, kind.containerProperty, refs).includes(container)));
        if (parts.length === 0) {
          continue;
        }
        refreshed.add(container);
        kind.refresh(snapshot, container, sortRewrites(parts), refs);
        const stages = kind.servedByStages ? stagesOf(snapshot) : [];
        // A deployment with a StageName updates that stage itself.
        const itself = kind.servedByStages && refs.read(snapshot).entry?.Properties?.StageName !== undefined ? [snapshot] : [];
        for (const part of parts) {
          servers.set(part.resource, [...servers.get(part.resource) ?? [], ...itself, ...stages]);
        }
      }
    }
  }
  warnUndeployedRestApis(rewrites, refreshed, refs);
  return servers;
}

/** What a snapshot freezes: a resource of the template, or an API outside it, by the value that names it (`abc123`). */
type Container = CfnResource | string;

/** The containers `resource` names at `property`: the resources it references there, else the value itself. */
function containersOf(resource: CfnResource, property: string, refs: DeployReferences): Container[] {
  const referenced = refs.referencedAt(resource, property).map((r) => r.target);
  if (referenced.length > 0) {
    return [...new Set(referenced)];
  }
  const value = refs.read(resource).entry?.Properties?.[property];
  return value === undefined ? [] : [`${Stack.of(resource).node.path} ${JSON.stringify(value)}`];
}

/**
 * A REST API some of whose methods were rewritten, of which this template holds no deployment: its
 * stages serve a deployment made elsewhere, which keeps invoking the bare function.
 */
function warnUndeployedRestApis(rewrites: readonly MigrationRewrite[], refreshed: ReadonlySet<Container>, refs: DeployReferences): void {
  const undeployed = new Map<Container, MigrationRewrite[]>();
  for (const w of rewrites.filter((r) => r.resource.cfnResourceType.startsWith('AWS::ApiGateway::'))) {
    const containers = w.resource.cfnResourceType === 'AWS::ApiGateway::RestApi' ? [w.resource] : containersOf(w.resource, 'RestApiId', refs);
    for (const container of containers.filter((c) => !refreshed.has(c))) {
      undeployed.set(container, [...undeployed.get(container) ?? [], w]);
    }
  }
  for (const [container, parts] of undeployed) {
    const [first] = sortRewrites(parts);
    const at = typeof container === 'string' ? first.resource : container;
    const api = typeof container === 'string' ? `the REST API ${container.slice(container.indexOf(' ') + 1)}` : ownerPath(container);
    Annotations.of(at).addWarningV2('cdk-safe-lambda:migration-snapshot', `MakeFunctionsSafe: ${api} has no deployment in this template, `
      + `so its stages serve $LATEST.\n${parts.length} binding(s) of it now name the alias (for example ${first.resource.node.path} `
      + `${first.propertyPath}), but its stages serve a deployment made elsewhere, which invokes the bare function. `
      + 'Fix: deploy the API after this deployment (aws apigateway create-deployment --rest-api-id <api> --stage-name <stage>), '
      + 'or let the app deploy it (deploy: true, or an apigateway.Deployment).');
  }
}

/**
 * A Deployment is a snapshot as long as its logical ID stays: aws-cdk-lib hashes a method's props
 * into `latestDeployment`'s ID before the migration overrides them, so the hash is told what changed;
 * a deployment of the user's own gets a logical ID that says what changed.
 */
function newDeployment(snapshot: CfnResource, container: Container, rewrites: MigrationRewrite[]): void {
  const changed = rewrites.map((w) => ({
    resource: w.resource.node.path,
    property: w.propertyPath,
    function: w.functionPath,
    // Rendered in the function's stack now: a stable value, which names the alias.
    alias: Stack.of(w.target.functionResource).resolve(w.target.aliasName),
  }));
  const what = `${rewrites.length} rewritten binding(s) of ${ownerPath(container)}`;
  if (typeof (snapshot as any).addToLogicalId === 'function') {
    // `apigateway.Deployment`'s resource (`latestDeployment`, or a user's `new apigateway.Deployment`).
    (snapshot as any).addToLogicalId({ 'cdk-safe-lambda:rebound': changed });
    Annotations.of(snapshot).addInfo(`MakeFunctionsSafe: ${ownerPath(snapshot)} is made anew, so its stages serve the alias.\n`
      + `It snapshots ${what}.`);
    return;
  }
  const stack = Stack.of(snapshot);
  const current = stack.resolve(snapshot.logicalId);
  // A new deployment has a new ID: one an output publishes is what a client (another stack) holds.
  const output = publishingOutput(snapshot);
  let why = output ? `its ID is published by the output ${output.node.path}, which a new deployment would change` : '';
  if (!output) {
    try {
      snapshot.overrideLogicalId(`${current}${shortHash(JSON.stringify(changed))}`);
      Annotations.of(snapshot).addInfo(`MakeFunctionsSafe: deployment ${ownerPath(snapshot)} gets a new logical ID, so its stage serves the alias.\n`
        + `It was ${current}; it snapshots ${what}; the old deployment is deleted after the update.`);
      return;
    } catch {
      why = 'its logical ID is locked';
    }
  }
  Annotations.of(snapshot).addWarningV2('cdk-safe-lambda:migration-snapshot', `MakeFunctionsSafe: deployment ${ownerPath(snapshot)} keeps `
    + `serving $LATEST: it is not made anew.\nIt snapshots ${what}, but ${why}, so the stage keeps the old snapshot, which invokes the `
    + 'bare function. Fix: give the deployment a new logical ID (overrideLogicalId, and update what reads the output), '
    + 'or build it with apigateway.Deployment, whose ID follows the methods.');
}

/** The output of the snapshot's stack whose value references it, if any. */
function publishingOutput(snapshot: CfnResource): CfnOutput | undefined {
  const stack = Stack.of(snapshot);
  return stack.node.findAll().filter((c): c is CfnOutput => c instanceof CfnOutput && Stack.of(c) === stack).find((output) => {
    try {
      const { references } = resolveRecordingReferences(output, (output as any)._toCloudFormation(), (r) => r.target === snapshot);
      return references.length > 0;
    } catch {
      return false;
    }
  });
}

function stageWithoutAutoDeploy(stage: CfnResource, container: Container, rewrites: MigrationRewrite[], refs: DeployReferences): void {
  const properties = refs.read(stage).entry?.Properties ?? {};
  if (properties.AutoDeploy === true || properties.AutoDeploy === 'true'
    || refs.referencedAt(stage, 'DeploymentId').some((r) => r.target.cfnResourceType === 'AWS::ApiGatewayV2::Deployment')) {
    // It deploys every change itself, or it serves a deployment of this template (refreshed above).
    return;
  }
  Annotations.of(stage).addWarningV2('cdk-safe-lambda:migration-snapshot', `MakeFunctionsSafe: stage ${ownerPath(stage)} does not auto-deploy, `
    + `so it keeps serving $LATEST.\n${rewrites.length} binding(s) of ${ownerPath(container)} now name the alias `
    + '(for example ' + `${rewrites[0].resource.node.path} ${rewrites[0].propertyPath}), and the function's permissions moved to the alias, `
    + 'but this stage serves the API\'s last deployment, made outside this template, which invokes the bare function. '
    + 'Fix: autoDeploy: true on the stage, or a deployment right after this one '
    + '(aws apigatewayv2 create-deployment --api-id <api> --stage-name <stage>).');
}

function fixedRevision(version: CfnResource, stateMachine: Container, rewrites: MigrationRewrite[], refs: DeployReferences): void {
  const revision = refs.referencedAt(version, 'StateMachineRevisionId');
  if (revision.some((r) => r.target === stateMachine && r.attribute === 'StateMachineRevisionId')) {
    // Every new revision publishes a new version: the rewritten definition reaches it by itself.
    return;
  }
  Annotations.of(version).addWarningV2('cdk-safe-lambda:migration-snapshot', `MakeFunctionsSafe: state machine version ${ownerPath(version)} `
    + `keeps an old definition, which invokes $LATEST.\nThe migration rewrote the definition of ${ownerPath(stateMachine)} `
    + `(${rewrites.map((w) => w.functionPath).join(', ')} `
    + 'now invoked through the alias), but a published version is a frozen revision: it still invokes the bare function, whose grant moved to '
    + 'the alias. Fix: StateMachineRevisionId: stateMachine.stateMachineRevisionId (each revision publishes a new version), '
    + 'then point your state machine alias at it.');
}

/** The L2 construct a resource is the default child of (`S/Stage` for `S/Stage/Resource`), else the resource. */
function ownerPath(resource: Container): string {
  if (typeof resource === 'string') {
    return resource.slice(resource.indexOf(' ') + 1);
  }
  const parent = resource.node.scope;
  return parent && parent.node.defaultChild === resource && !Stack.isStack(parent) ? parent.node.path : resource.node.path;
}

function sortRewrites(rewrites: MigrationRewrite[]): MigrationRewrite[] {
  const key = (w: MigrationRewrite) => `${w.resource.node.path} ${w.propertyPath} ${w.functionPath}`;
  return [...rewrites].sort((a, b) => key(a).localeCompare(key(b)));
}

/** 8 hex digits of a stable hash: enough to tell a new deployment from the old one. */
function shortHash(text: string): string {
  return createHash('md5').update(text).digest('hex').slice(0, 8).toUpperCase();
}
