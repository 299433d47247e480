import { CliFinding } from './cli-finding';
import { hazard, references, resourcesOf, resourcesOfType, sameValue, StackChange } from './diff-model';

// A change that only a new snapshot serves (issue #16 §7, deploy-semantics §3, §8): a REST API's
// stage serves its Deployment, an immutable snapshot refreshed only by a Deployment with a new logical
// ID; an HTTP/WebSocket stage without AutoDeploy likewise; a published Step Functions version keeps the
// definition it was published from. A change that reaches no new snapshot is not served.

export const STALE_SNAPSHOT = 'SafeLambda-StaleSnapshot';

/** What a REST API deployment snapshots: its methods, resources and authorizers, and an OpenAPI body. */
const REST_SNAPSHOT_TYPES = ['AWS::ApiGateway::Method', 'AWS::ApiGateway::Resource', 'AWS::ApiGateway::Authorizer'];
const V2_SNAPSHOT_TYPES = ['AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Authorizer'];
const STATE_MACHINE_DEFINITION = ['Definition', 'DefinitionString', 'DefinitionS3Location', 'DefinitionSubstitutions'];

export function snapshotHazards(change: StackChange): CliFinding[] {
  if (!change.previous) return [];
  return [...restDeployments(change), ...v2Stages(change), ...stateMachineVersions(change)];
}

/** Logical IDs of the resources of `types` whose template entry is new or changed (by API: `apiKey` references it). */
function changedFor(change: StackChange, types: string[], apiKey: string, apiId: string): string[] {
  const old = resourcesOf(change.previous);
  return resourcesOfType(change.next, ...types)
    .filter(([, r]) => references(r.Properties?.[apiKey], apiId))
    .filter(([id, r]) => !old[id] || !sameValue(old[id].Properties, r.Properties))
    .map(([id]) => id);
}

/** REST: methods (or resources, authorizers, the API's body) change while no Deployment of the API gets a new logical ID. */
function restDeployments(change: StackChange): CliFinding[] {
  const old = resourcesOf(change.previous);
  const findings: CliFinding[] = [];
  for (const [apiId, api] of resourcesOfType(change.next, 'AWS::ApiGateway::RestApi')) {
    const deployments = resourcesOfType(change.next, 'AWS::ApiGateway::Deployment').filter(([, d]) => references(d.Properties?.RestApiId, apiId));
    const wereDeployed = resourcesOfType(change.previous, 'AWS::ApiGateway::Deployment').some(([, d]) => references(d.Properties?.RestApiId, apiId));
    const changed = changedFor(change, REST_SNAPSHOT_TYPES, 'RestApiId', apiId);
    if (deployments.length === 0 && !wereDeployed && old[apiId] && changed.length > 0) {
      findings.push(undeployed(change, apiId, changed));
      continue;
    }
    if (deployments.length === 0 || !wereDeployed || deployments.some(([id]) => !old[id])) continue;
    const bodyChanged = old[apiId] && ['Body', 'BodyS3Location'].some((k) => !sameValue(old[apiId].Properties?.[k], api.Properties?.[k]));
    if (changed.length === 0 && !bodyChanged) continue;
    const [deploymentId] = deployments[0];
    const what = [...changed, ...bodyChanged ? [`${apiId} (its body)`] : []];
    findings.push(hazard({
      ruleId: STALE_SNAPSHOT,
      level: 'error',
      template: change.next,
      logicalId: deploymentId,
      propertyPath: 'Type',
      problem: `stale stage: ${what.length} change(s) to ${apiId}, no new Deployment`,
      detail: `${what.slice(0, 5).join(', ')}${what.length > 5 ? ', ...' : ''} ${what.length > 1 ? 'change' : 'changes'}, but a Deployment is an immutable snapshot: the stage keeps `
        + 'serving the old one (e.g. an integration that invokes the bare function, whose permission this deployment may delete)',
      fix: 'give the Deployment a new logical ID (in the CDK: `api.latestDeployment.addToLogicalId(...)` with what changed), '
        + 'so CloudFormation creates a new snapshot and points the stage at it',
    }));
  }
  return findings;
}

/** A REST API this template never deploys: its changes are served only when someone deploys it outside this stack. */
function undeployed(change: StackChange, apiId: string, changed: string[]): CliFinding {
  return hazard({
    ruleId: STALE_SNAPSHOT,
    level: 'warning',
    template: change.next,
    logicalId: apiId,
    propertyPath: 'Type',
    problem: `${changed.length} change(s) to ${apiId}, which no Deployment in the template serves`,
    detail: `${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', ...' : ''} ${changed.length > 1 ? 'change' : 'changes'}, but the template `
      + 'has no AWS::ApiGateway::Deployment of this API: its stages serve whatever was deployed outside this stack, until someone deploys again',
    fix: 'deploy the API after this deployment (aws apigateway create-deployment), or let the template deploy it (an AWS::ApiGateway::Deployment and Stage)',
  });
}

/** HTTP/WebSocket: integrations or routes change on an API whose stage does not auto-deploy, and no Deployment is new. */
function v2Stages(change: StackChange): CliFinding[] {
  const old = resourcesOf(change.previous);
  const findings: CliFinding[] = [];
  for (const [apiId] of resourcesOfType(change.next, 'AWS::ApiGatewayV2::Api')) {
    const changed = changedFor(change, V2_SNAPSHOT_TYPES, 'ApiId', apiId);
    if (changed.length === 0) continue;
    const newDeployment = resourcesOfType(change.next, 'AWS::ApiGatewayV2::Deployment')
      .some(([id, d]) => references(d.Properties?.ApiId, apiId) && !old[id]);
    if (newDeployment) continue;
    for (const [stageId, stage] of resourcesOfType(change.next, 'AWS::ApiGatewayV2::Stage')) {
      const auto = stage.Properties?.AutoDeploy;
      if (!references(stage.Properties?.ApiId, apiId) || auto === true || auto === 'true') continue;
      findings.push(hazard({
        ruleId: STALE_SNAPSHOT,
        level: 'error',
        template: change.next,
        logicalId: stageId,
        propertyPath: 'Properties.AutoDeploy',
        problem: `stale stage: ${changed.length} change(s) to ${apiId}, no AutoDeploy`,
        detail: `${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', ...' : ''} ${changed.length > 1 ? 'change' : 'changes'}, but the stage serves its last deployment `
          + 'and no new AWS::ApiGatewayV2::Deployment is created, so the change is not served',
        fix: 'set AutoDeploy: true on the stage (`autoDeploy: true`), or add a new AWS::ApiGatewayV2::Deployment (new logical ID) and point the stage at it',
      }));
    }
  }
  return findings;
}

/** Step Functions: a definition changes while a published version of it stays (its revision is not taken from the state machine). */
function stateMachineVersions(change: StackChange): CliFinding[] {
  const old = resourcesOf(change.previous);
  const findings: CliFinding[] = [];
  for (const [smId, sm] of resourcesOfType(change.next, 'AWS::StepFunctions::StateMachine')) {
    const was = old[smId];
    if (!was || STATE_MACHINE_DEFINITION.every((k) => sameValue(was.Properties?.[k], sm.Properties?.[k]))) continue;
    for (const [versionId, version] of resourcesOfType(change.next, 'AWS::StepFunctions::StateMachineVersion')) {
      if (!references(version.Properties?.StateMachineArn, smId)) continue;
      // `StateMachineRevisionId: !GetAtt SM.StateMachineRevisionId` publishes every new revision: not stale.
      if (references(version.Properties?.StateMachineRevisionId, smId)) continue;
      if (!old[versionId] || !sameValue(old[versionId].Properties, version.Properties)) continue;
      findings.push(hazard({
        ruleId: STALE_SNAPSHOT,
        level: 'error',
        template: change.next,
        logicalId: versionId,
        propertyPath: 'Properties.StateMachineRevisionId',
        problem: `stale version: ${smId}'s definition changes, this version does not`,
        detail: 'a state machine version is an immutable snapshot of a revision: executions started on it (or on an alias routing to it) '
          + 'keep running the old definition, e.g. tasks that invoke the bare function',
        fix: `set StateMachineRevisionId to !GetAtt ${smId}.StateMachineRevisionId (a new version per revision), or give the version a new logical ID`,
      }));
    }
  }
  return findings;
}
