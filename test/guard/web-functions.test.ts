import { App, Aspects, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ENV, safeFunction, subscribe } from './guard-test-app';
import { FailureMode, GuardedFunctions, GuardRules, MakeFunctionsSafe, NoLatestInvocations } from '../../src';

/*
 * Issue #17 §2: Lambda Web Functions (aws-cdk-lib 2.273 L1s, 2.276 L2) are immutable revisions behind
 * endpoints with weights, never `AWS::Lambda::Function`s: the guard never guards or flags them. An
 * optional rule (strict mode: GuardedFunctions.ALL) reports an endpoint that moves all its traffic to
 * each new revision at once (SAM's `AutoDeploymentMode: LatestRevision`) and points at weights.
 */

const RULE = GuardRules.WEB_FUNCTION_ALL_AT_ONCE;
const STRICT = { functions: GuardedFunctions.ALL };

/** A SAM web function, as a template written for the SAM transform holds it. */
function samWebFunction(properties: Record<string, unknown>): { app: App; stack: Stack; web: CfnResource } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  stack.addTransform('AWS::Serverless-2016-10-31');
  const web = new CfnResource(stack, 'Web', {
    type: 'AWS::Serverless::WebFunction',
    properties: { CodeUri: 's3://bucket/app.zip', Runtime: 'nodejs24.x', ...properties },
  });
  return { app, stack, web };
}

describe('the optional rule: an endpoint that moves all traffic to each new revision', () => {
  test('AutoDeploymentMode: LatestRevision is a warning under GuardedFunctions.ALL, naming the path, the problem and weights', () => {
    // GIVEN a SAM web function deploying every revision to all of its traffic at once
    const { app } = samWebFunction({ AutoDeploymentMode: 'LatestRevision' });
    // WHEN checked in strict mode
    const findings = NoLatestInvocations.findings(app, STRICT);
    // THEN one warning at the property, whose first line fits a terminal and whose text names the fix
    expect(findings.map((f) => [f.ruleId, f.resourcePath, f.propertyPath, f.suppressed])).toEqual([[RULE, 'Stack/Web', 'Properties.AutoDeploymentMode', false]]);
    const [first, ...rest] = findings[0].message.split('\n');
    expect(first.length).toBeLessThanOrEqual(120);
    expect(first).toContain(RULE);
    expect(rest.join('\n')).toMatch(/LatestRevision.*Disabled.*RevisionWeights/s);
  });

  test('the warning is reported by a strict guard at synthesis, and never fails it', () => {
    // GIVEN a strict guard in ERROR mode
    const { app, web } = samWebFunction({ AutoDeploymentMode: 'LatestRevision' });
    Aspects.of(app).add(new NoLatestInvocations({ ...STRICT, failureMode: FailureMode.ERROR }));
    // WHEN synthesized THEN it succeeds, with the warning on the resource
    expect(() => app.synth()).not.toThrow();
    const warnings = Annotations.fromStack(web.stack).findWarning('*', Match.stringLikeRegexp(RULE));
    expect(warnings).toHaveLength(1);
  });

  test.each([
    ['the default guard (GuardedFunctions.SAFE_FUNCTIONS)', { AutoDeploymentMode: 'LatestRevision' }, {}],
    ['AutoDeploymentMode: Disabled', { AutoDeploymentMode: 'Disabled' }, STRICT],
    ['no AutoDeploymentMode', {}, STRICT],
  ])('%s: nothing is reported', (_name, properties, props) => {
    const { app } = samWebFunction(properties);
    expect(NoLatestInvocations.findings(app, props)).toEqual([]);
  });

  test('a mode known only at deploy time (a parameter) is not judged', () => {
    // GIVEN the mode as a template parameter
    const { app, stack, web } = samWebFunction({});
    web.addPropertyOverride('AutoDeploymentMode', new CfnParameter(stack, 'Mode', { default: 'LatestRevision' }).valueAsString);
    // THEN nothing is reported: the deployment decides
    expect(NoLatestInvocations.findings(app, STRICT)).toEqual([]);
  });

  test('a SafeFunction beside it is judged as always', () => {
    // GIVEN an unqualified binding of a SafeFunction in the same app
    const { app, stack } = samWebFunction({ AutoDeploymentMode: 'LatestRevision' });
    subscribe(stack, safeFunction(stack).function.functionArn);
    // THEN both rules report, each at its own resource
    expect(NoLatestInvocations.findings(app, STRICT).map((f) => [f.ruleId, f.resourcePath]).sort()).toEqual([
      [GuardRules.LATEST_BINDING, 'Stack/Sub'],
      [RULE, 'Stack/Web'],
    ]);
  });
});

/** aws-cdk-lib's Web Function L2, where this aws-cdk-lib has it (2.276 and later): feature-detected. */
const WebFunction: any = (lambda as any).WebFunction;
const CfnWebFunctionEndpoint: any = (lambda as any).CfnWebFunctionEndpoint;

describe('Web Functions are never mistaken for functions', () => {
  if (WebFunction === undefined) {
    test('this aws-cdk-lib has no Web Function constructs: only templates carry them', () => {
      // GIVEN the floor aws-cdk-lib THEN there is nothing to build (the SAM shapes above cover templates)
      expect(CfnWebFunctionEndpoint === undefined || WebFunction === undefined).toBe(true);
    });
    return;
  }

  function webApp(): { app: App; stack: Stack; web: any } {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Stack', { env: ENV });
    const web = new WebFunction(stack, 'Web', {
      code: (lambda as any).WebFunctionCode.fromBucket(new s3.Bucket(stack, 'Code', { versioned: true }), 'app.zip'),
      runtime: (lambda as any).WebFunctionRuntime.NODEJS_24_X,
      defaultEndpointAuth: (lambda as any).WebFunctionAuthType.IAM_AUTH,
    });
    return { app, stack, web };
  }

  test('an L2 WebFunction with its default endpoint, its ARN bound by a subscription, is neither guarded nor flagged', () => {
    // GIVEN a Web Function (one revision, all traffic on it) and its ARN where a function's would be a binding
    const { app, stack, web } = webApp();
    subscribe(stack, web.webFunctionArn);
    Aspects.of(app).add(new NoLatestInvocations(STRICT));
    // THEN no rule reports it and synthesis succeeds: it has no $LATEST, and no template sets LatestRevision
    expect(NoLatestInvocations.findings(app, STRICT)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('the one-line migration leaves a Web Function and its endpoint as they were', () => {
    // GIVEN the same app built twice, once migrated
    const webTypes = (app: App) => JSON.stringify(Object.entries<any>(app.synth().getStackByName('Stack').template.Resources)
      .filter(([, r]) => String(r.Type).startsWith('AWS::Lambda::WebFunction')));
    const plain = webApp();
    const migrated = webApp();
    MakeFunctionsSafe.applyTo(migrated.app);
    // THEN the Web Function resources are identical: they are not functions to rebind
    expect(webTypes(migrated.app)).toEqual(webTypes(plain.app));
    expect(webTypes(plain.app)).toContain('AWS::Lambda::WebFunctionEndpoint');
  });

  test('an L1 endpoint routing by RevisionWeights is not flagged', () => {
    // GIVEN plain CloudFormation: weights only, no deployment mode
    const { app, stack, web } = webApp();
    new CfnWebFunctionEndpoint(stack, 'Canary', {
      functionName: web.webFunctionName,
      endpointName: 'canary',
      endpointType: 'HomeRegion',
      authType: 'IamAuth',
      revisionWeights: [{ revisionId: '1', weight: 90 }, { revisionId: '2', weight: 10 }],
    });
    // THEN nothing is reported
    expect(NoLatestInvocations.findings(app, STRICT)).toEqual([]);
  });
});
