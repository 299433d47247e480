import { App, Aspects, CfnCondition, Duration, Fn, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { GuardedFunctions, NoLatestInvocations, SafeFunction, SafeFunctionProps, TrafficShift } from '../../src';
import { VersionPruner } from '../../src/retention/private/version-pruner';

const PRUNER = 'Custom::SafeLambdaVersionPruner';

function props(extra: Partial<SafeFunctionProps> = {}): SafeFunctionProps {
  return { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'), ...extra };
}

function stackWith(...fns: Array<Partial<SafeFunctionProps>>): { stack: Stack; template: Template; functions: SafeFunction[] } {
  const stack = new Stack(new App(), 'Orders', { env: { account: '123456789012', region: 'eu-west-1' } });
  const functions = fns.map((extra, i) => new SafeFunction(stack, `Fn${i}`, props(extra)));
  return { stack, template: Template.fromStack(stack), functions };
}

/** Logical id of a construct's L1. */
function logicalId(stack: Stack, c: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(c.node.defaultChild as any);
}

describe('retained versions', () => {
  test('GIVEN retainVersions THEN replaced versions are retained (DeletionPolicy and UpdateReplacePolicy Retain)', () => {
    const { template } = stackWith({ retainVersions: 3 });
    template.hasResource('AWS::Lambda::Version', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('GIVEN no retainVersions THEN there is no pruner and versions keep aws-cdk-lib\'s default', () => {
    const { template } = stackWith({});
    template.resourceCountIs(PRUNER, 0);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    expect(Object.values(template.findResources('AWS::Lambda::Version'))[0].DeletionPolicy).toBeUndefined();
  });

  test('GIVEN retainVersions and versionRemovalPolicy RETAIN THEN both agree', () => {
    const { template } = stackWith({ retainVersions: 2, versionRemovalPolicy: RemovalPolicy.RETAIN });
    template.hasResource('AWS::Lambda::Version', { DeletionPolicy: 'Retain' });
    template.resourceCountIs(PRUNER, 1);
  });

  test('GIVEN retainVersions and versionRemovalPolicy DESTROY THEN construction fails with the value and the fix', () => {
    expect(() => stackWith({ retainVersions: 3, versionRemovalPolicy: RemovalPolicy.DESTROY }))
      .toThrow(/Orders\/Fn0: retainVersions is 3, but the version removal policy is destroy, .*Fix: remove versionRemovalPolicy/);
  });

  test('GIVEN retainVersions and currentVersionOptions.removalPolicy DESTROY THEN construction fails too', () => {
    expect(() => stackWith({ retainVersions: 3, currentVersionOptions: { removalPolicy: RemovalPolicy.DESTROY } }))
      .toThrow(/retainVersions is 3, but the version removal policy is destroy/);
  });
});

describe('the pruner resource', () => {
  test('GIVEN retainVersions 3 THEN the pruner gets the function, alias, versions and defaults', () => {
    const { stack, template, functions: [fn] } = stackWith({ retainVersions: 3 });
    // The version's logical id carries its hash only once synthesized.
    const [versionId] = Object.keys(template.findResources('AWS::Lambda::Version'));
    template.hasResourceProperties(PRUNER, {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkSafeLambdaVersionPrunerHandler'), 'Arn'] },
      FunctionName: { Ref: logicalId(stack, fn.function) },
      AliasName: 'live',
      CurrentVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
      LiveVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
      RetainVersions: 3,
      MinAgeSeconds: 3600,
      MaxDeletions: 50,
      DryRun: false,
      Strict: false,
      CodeDeployApplication: Match.absent(),
      CodeDeployDeploymentGroup: Match.absent(),
    });
  });

  test('GIVEN every prune option THEN each reaches the pruner', () => {
    const { template } = stackWith({ retainVersions: 5, pruneMinAge: Duration.days(2), pruneMaxDeletions: 7, pruneDryRun: true, pruneStrict: true });
    template.hasResourceProperties(PRUNER, { RetainVersions: 5, MinAgeSeconds: 172800, MaxDeletions: 7, DryRun: true, Strict: true });
  });

  test('GIVEN retainVersions THEN the pruner runs after the live alias has moved (DependsOn the alias)', () => {
    const { stack, template, functions: [fn] } = stackWith({ retainVersions: 3 });
    const pruner = Object.values(template.findResources(PRUNER))[0];
    expect(pruner.DependsOn).toContain(logicalId(stack, fn.live));
  });

  test('GIVEN a new version THEN the pruner\'s properties change, so CloudFormation runs it on every release', () => {
    const render = (body: string) => {
      const stack = new Stack(new App(), 'S');
      new SafeFunction(stack, 'Fn', props({ retainVersions: 3, code: lambda.Code.fromInline(body) }));
      return Object.values(Template.fromStack(stack).findResources(PRUNER))[0].Properties.CurrentVersion;
    };
    expect(render('exports.handler = async () => 1;')).not.toEqual(render('exports.handler = async () => 2;'));
  });

  test('GIVEN a deployment group THEN the pruner checks it, allowed to list that group\'s deployments only', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
    const application = codedeploy.LambdaApplication.fromLambdaApplicationName(stack, 'App', 'orders');
    const group = codedeploy.LambdaDeploymentGroup.fromLambdaDeploymentGroupAttributes(stack, 'Group', { application, deploymentGroupName: 'orders-live' });
    new SafeFunction(stack, 'Fn', props({ retainVersions: 3, pruneDeploymentGroup: group }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(PRUNER, { CodeDeployApplication: 'orders', CodeDeployDeploymentGroup: 'orders-live' });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'codedeploy:ListDeployments', Resource: Match.anyValue() })]) },
    });
    const statement = allStatements(template).find((s) => s.Action === 'codedeploy:ListDeployments');
    expect(JSON.stringify(statement.Resource)).toContain(':deploymentgroup:orders/orders-live');
  });

  test('GIVEN a deployment group created after the SafeFunction THEN useDeploymentGroup still reaches the pruner', () => {
    const stack = new Stack(new App(), 'S');
    const fn = new SafeFunction(stack, 'Fn', props({ retainVersions: 3 }));
    const group = new codedeploy.LambdaDeploymentGroup(stack, 'Group', { alias: fn.live });
    VersionPruner.find(fn)!.useDeploymentGroup(group);
    Template.fromStack(stack).hasResourceProperties(PRUNER, {
      CodeDeployApplication: { Ref: Match.stringLikeRegexp('^GroupApplication') },
      CodeDeployDeploymentGroup: { Ref: Match.stringLikeRegexp('^Group') },
    });
  });
});

/** Every statement of the stack's inline and managed policies. */
function allStatements(template: Template): any[] {
  return [...Object.values(template.findResources('AWS::IAM::Policy')), ...Object.values(template.findResources('AWS::IAM::ManagedPolicy'))]
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('least privilege', () => {
  test('GIVEN a pruned function THEN the pruner may list and delete that function\'s versions and nothing else', () => {
    const { stack, template, functions: [fn] } = stackWith({ retainVersions: 3 });
    const arn = { 'Fn::GetAtt': [logicalId(stack, fn.function), 'Arn'] };
    const statements = allStatements(template);
    expect(statements).toEqual(expect.arrayContaining([
      {
        Action: ['lambda:ListVersionsByFunction', 'lambda:ListAliases', 'lambda:ListProvisionedConcurrencyConfigs', 'lambda:ListDurableExecutionsByFunction'],
        Effect: 'Allow',
        Resource: arn,
      },
      // qualified ARNs only: a version can be deleted, the function itself cannot
      { Action: ['lambda:DeleteFunction', 'lambda:ListDurableExecutionsByFunction'], Effect: 'Allow', Resource: { 'Fn::Join': ['', [arn, ':*']] } },
    ]));
  });

  test('GIVEN a pruned function THEN no statement grants on `*` except ListEventSourceMappings, which IAM cannot scope', () => {
    const { template } = stackWith({ retainVersions: 3 });
    const onStar = allStatements(template).filter((s) => [s.Resource].flat().includes('*'));
    expect(onStar).toEqual([{ Action: 'lambda:ListEventSourceMappings', Effect: 'Allow', Resource: '*' }]);
  });
});

describe('one provider per stack', () => {
  test('GIVEN two pruned SafeFunctions in a stack THEN one pruner function serves both, allowed on each function', () => {
    const { stack, template, functions } = stackWith({ retainVersions: 3 }, { retainVersions: 5 }, {});
    template.resourceCountIs(PRUNER, 2);
    const handlers = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^cdk-safe-lambda: deletes') } });
    expect(Object.keys(handlers)).toHaveLength(1);
    const tokens = new Set(Object.values(template.findResources(PRUNER)).map((r) => JSON.stringify(r.Properties.ServiceToken)));
    expect(tokens.size).toBe(1);
    const list = allStatements(template).find((s) => Array.isArray(s.Action) && s.Action.includes('lambda:ListAliases'));
    expect(list.Resource).toEqual([0, 1].map((i) => ({ 'Fn::GetAtt': [logicalId(stack, functions[i].function), 'Arn'] })));
  });

  test('GIVEN pruned SafeFunctions in two stacks THEN each stack has its own pruner function', () => {
    const app = new App();
    const stacks = ['A', 'B'].map((name) => new Stack(app, name));
    stacks.forEach((s) => new SafeFunction(s, 'Fn', props({ retainVersions: 3 })));
    for (const s of stacks) {
      Template.fromStack(s).resourceCountIs('AWS::Lambda::Function', 2);
    }
  });

  test('GIVEN the pruner function THEN it runs the bundled handler on Node.js 22 with a bounded timeout', () => {
    const { template } = stackWith({ retainVersions: 3 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^cdk-safe-lambda: deletes'), Runtime: 'nodejs22.x', Handler: 'index.handler', Timeout: 300,
    });
  });
});

describe('bad input', () => {
  test.each([
    [0, 'got 0'],
    [-2, 'got -2'],
    [2.5, 'got 2.5'],
  ])('GIVEN retainVersions %p THEN construction fails naming the value and the fix', (value, got) => {
    expect(() => stackWith({ retainVersions: value }))
      .toThrow(new RegExp(`Orders/Fn0: retainVersions must be a whole number of at least 1, ${got.replace('.', '\\.')}\\. Keep at least the current version, for example retainVersions: 3`));
  });

  test('GIVEN pruneMaxDeletions 0 THEN construction fails naming the value and the default', () => {
    expect(() => stackWith({ retainVersions: 3, pruneMaxDeletions: 0 }))
      .toThrow(/pruneMaxDeletions must be a whole number of at least 1, got 0\. Omit it for the default of 50/);
  });

  test('GIVEN prune options without retainVersions THEN construction fails naming them and the fix', () => {
    expect(() => stackWith({ pruneDryRun: true, pruneMinAge: Duration.hours(2) }))
      .toThrow(/pruneMinAge, pruneDryRun are set but retainVersions is not, so there is no pruner to configure\. Fix: set retainVersions/);
  });

  test('GIVEN a negative minimum age THEN Duration itself refuses it before the SafeFunction sees it', () => {
    expect(() => stackWith({ retainVersions: 3, pruneMinAge: Duration.seconds(-1) })).toThrow(/Duration amounts cannot be negative. Received: -1/);
  });
});

describe('the $LATEST guard', () => {
  test('GIVEN retainVersions THEN the guard finds no error or warning on the pruner (it names the function, never invokes it)', () => {
    const { stack } = stackWith({ retainVersions: 3 });
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue()).filter((w) => w.id.includes('VersionPruner'))).toEqual([]);
  });

  test('GIVEN the guard over every function (GuardedFunctions.ALL) THEN the pruner\'s own handler does not fail synthesis', () => {
    const stack = new Stack(new App(), 'S');
    new SafeFunction(stack, 'Fn', props({ retainVersions: 3 }));
    Aspects.of(stack).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('with a CodeDeploy release', () => {
  test('GIVEN retainVersions and a deployment THEN the pruner waits out that deployment group\'s deployments', () => {
    const { template } = stackWith({ retainVersions: 3, deployment: { trafficShift: TrafficShift.allAtOnce() } });
    const [groupId] = Object.keys(template.findResources('AWS::CodeDeploy::DeploymentGroup'));
    template.hasResourceProperties(PRUNER, { CodeDeployDeploymentGroup: { Ref: groupId }, CodeDeployApplication: Match.anyValue() });
    const statement = allStatements(template).find((s) => s.Action === 'codedeploy:ListDeployments');
    expect(JSON.stringify(statement.Resource)).toContain(groupId);
  });

  test('GIVEN a deployment and a different pruneDeploymentGroup THEN construction fails with the fix', () => {
    const stack = new Stack(new App(), 'S');
    const application = codedeploy.LambdaApplication.fromLambdaApplicationName(stack, 'App', 'other');
    const other = codedeploy.LambdaDeploymentGroup.fromLambdaDeploymentGroupAttributes(stack, 'Other', { application, deploymentGroupName: 'other' });
    expect(() => new SafeFunction(stack, 'Fn', props({ retainVersions: 3, pruneDeploymentGroup: other, deployment: { trafficShift: TrafficShift.allAtOnce() } })))
      .toThrow(/the pruner already watches the deployment group S\/Other .*Fix: omit pruneDeploymentGroup when the SafeFunction's `deployment`/);
  });
});

describe('every alias of the function', () => {
  function withAliases(): { stack: Stack; template: Template; fn: SafeFunction } {
    const stack = new Stack(new App(), 'Orders', { env: { account: '123456789012', region: 'eu-west-1' } });
    const fn = new SafeFunction(stack, 'Fn', props({ retainVersions: 3, stageAliases: [{ aliasName: 'beta' }] }));
    fn.addStageAlias('prod');
    // A user's own L1 alias, by ARN, routing 10% to version 2.
    new lambda.CfnAlias(stack, 'Own', {
      functionName: fn.function.functionArn,
      functionVersion: '4',
      name: 'own',
      routingConfig: { additionalVersionWeights: [{ functionVersion: '2', functionWeight: 0.1 }] },
    });
    // An alias of another function, which the pruner must not wait for.
    const other = new lambda.Function(stack, 'Other', props());
    new lambda.Alias(stack, 'OtherAlias', { aliasName: 'x', version: other.currentVersion });
    return { stack, template: Template.fromStack(stack), fn };
  }

  test('GIVEN stage aliases and a user alias THEN the pruner runs after every one of them has moved, and only those', () => {
    // GIVEN / WHEN
    const { stack, template, fn } = withAliases();
    const pruner = Object.values(template.findResources(PRUNER))[0];

    // THEN DependsOn holds the live, both stage aliases and the user's alias, not the other function's
    const stageIds = ['beta', 'prod'].map((n) => stack.getLogicalId(fn.node.findChild(`StageAlias-${n}`).node.defaultChild as any));
    expect(pruner.DependsOn).toEqual(expect.arrayContaining([logicalId(stack, fn.live), ...stageIds, 'Own']));
    const otherAlias = stack.getLogicalId(stack.node.findChild('OtherAlias').node.defaultChild as any);
    expect(pruner.DependsOn).not.toContain(otherAlias);
  });

  test('GIVEN stage aliases and a user alias THEN the pruner records where each points and routes (its next run\'s rollback targets)', () => {
    // GIVEN / WHEN
    const { template } = withAliases();
    const aliases = Object.values(template.findResources(PRUNER))[0].Properties.Aliases;

    // THEN one entry per alias of the function, with its version and routed versions
    expect(aliases.map((a: any) => a.Name)).toEqual(['live', 'beta', 'prod', 'own']);
    expect(aliases[0].Version).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^FnFunctionCurrentVersion/), 'Version'] });
    expect(aliases[3]).toEqual({ Name: 'own', Version: '4', Routed: ['2'] });
  });

  test.each<[string, (stack: Stack, fn: SafeFunction) => lambda.IFunction]>([
    ['Function.fromFunctionArn of its ARN', (stack, fn) => lambda.Function.fromFunctionArn(stack, 'Imported', fn.function.functionArn)],
    ['Function.fromFunctionName of its name', (stack, fn) => lambda.Function.fromFunctionName(stack, 'Imported', fn.function.functionName)],
    ['Function.fromFunctionAttributes of its ARN', (stack, fn) => lambda.Function.fromFunctionAttributes(stack, 'Imported', { functionArn: fn.function.functionArn, sameEnvironment: true })],
  ])('GIVEN an alias of the function reached through %s THEN the pruner waits for it and records it', (_how, imported) => {
    // GIVEN a user alias on a version of the imported function
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
    const fn = new SafeFunction(stack, 'Fn', props({ retainVersions: 2 }));
    const version = lambda.Version.fromVersionAttributes(stack, 'V5', { lambda: imported(stack, fn), version: '5' });
    const prod = new lambda.Alias(stack, 'Prod', { aliasName: 'prod', version });
    // WHEN synthesized
    const pruner = Object.values(Template.fromStack(stack).findResources(PRUNER))[0];
    // THEN it runs after that alias and knows where it points
    expect(pruner.DependsOn).toContain(logicalId(stack, prod));
    expect(pruner.Properties.Aliases).toEqual(expect.arrayContaining([{ Name: 'prod', Version: '5', Routed: [] }]));
  });

  test('GIVEN a routing config the pruner cannot read at synth time THEN it is recorded as unknown, so the next run deletes nothing', () => {
    // GIVEN an alias whose routing config is an intrinsic
    const stack = new Stack(new App(), 'S');
    const fn = new SafeFunction(stack, 'Fn', props({ retainVersions: 3 }));
    new CfnCondition(stack, 'C', { expression: Fn.conditionEquals('a', 'a') });
    new lambda.CfnAlias(stack, 'Own', { functionName: fn.function.functionName, functionVersion: '4', name: 'own', routingConfig: Lazy.any({ produce: () => ({ 'Fn::If': ['C', {}, {}] }) }) as any });

    // WHEN synthesized
    const aliases = Object.values(Template.fromStack(stack).findResources(PRUNER))[0].Properties.Aliases;

    // THEN the entry says so
    expect(aliases.find((a: any) => a.Name === 'own').Routed).toBe('unknown');
  });
});

describe('durable functions and Managed Instances', () => {
  test('GIVEN a pruned function THEN the pruner may list its durable executions per version, and only its own', () => {
    // GIVEN / WHEN
    const { stack, template, functions: [fn] } = stackWith({ retainVersions: 3 });
    const arn = { 'Fn::GetAtt': [logicalId(stack, fn.function), 'Arn'] };

    // THEN on the function and on its qualified ARNs, and on no other resource
    const durable = allStatements(template).filter((s) => [s.Action].flat().includes('lambda:ListDurableExecutionsByFunction'));
    expect(durable.map((s) => s.Resource)).toEqual([arn, { 'Fn::Join': ['', [arn, ':*']] }]);
  });

  const WARNING = 'cdk-safe-lambda:SafeFunction.managedInstancesRetainedVersions';
  /** An override, as a user on aws-cdk-lib < 2.231.0 would write it (aws-cdk-lib must then be told it is version-locked). */
  function overrideCapacityProvider(c: lambda.CfnFunction, value: unknown): void {
    lambda.Function.classifyVersionProperty('CapacityProviderConfig', true);
    c.addPropertyOverride('CapacityProviderConfig', value);
  }
  test.each([
    ['no capacity provider (the prop is absent from aws-cdk-lib 2.189.1: nothing crashes)', (_: lambda.CfnFunction) => undefined, 0],
    ['a capacity provider set by property override', (c: lambda.CfnFunction) => overrideCapacityProvider(c, { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: 'arn:cp' } }), 1],
    ['a capacity provider set through the typed prop (aws-cdk-lib >= 2.231.0)', (c: lambda.CfnFunction) => { (c as any).capacityProviderConfig = { lambdaManagedInstancesCapacityProviderConfig: { capacityProviderArn: 'arn:cp' } }; }, 1],
  ])('GIVEN retainVersions and %s THEN the Managed Instances warning appears accordingly', (_, configure, count) => {
    // GIVEN
    const stack = new Stack(new App(), 'S');
    const fn = new SafeFunction(stack, 'Fn', props({ retainVersions: 5 }));
    configure(fn.function.node.defaultChild as lambda.CfnFunction);

    // WHEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Lambda Managed Instances'));

    // THEN it names the path, the value, the cost, the blocked deletion and the fix
    expect(warnings).toHaveLength(count);
    if (count > 0) {
      expect(warnings[0].entry.data).toMatch(/S\/Fn\/VersionPruner: .*retainVersions is 5.*execution environments.*cannot be deleted.*Fix: keep few versions \(retainVersions: 2/);
      expect(warnings[0].entry.data).toContain(WARNING);
    }
  });

  test('GIVEN the aws-cdk-lib in use THEN a capacity provider\'s function warns where the L2 exists, and the floor (no such L2 or prop) synthesizes without a warning', () => {
    // GIVEN a pruned SafeFunction, added to a capacity provider when this aws-cdk-lib has them (2.231.0+)
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
    const fn = new SafeFunction(stack, 'Fn', props({ retainVersions: 3, memorySize: 2048 }));
    const CapacityProvider = (lambda as any).CapacityProvider;
    if (CapacityProvider) {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      const provider = new CapacityProvider(stack, 'Provider', {
        subnets: vpc.isolatedSubnets.length ? vpc.isolatedSubnets : vpc.publicSubnets,
        securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })],
      });
      provider.addFunction(fn.function);
    }

    // WHEN synthesized
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Lambda Managed Instances'));

    // THEN one warning with the capacity provider, none (and no crash) without
    expect(warnings).toHaveLength(CapacityProvider ? 1 : 0);
    if (!CapacityProvider) expect('capacityProviderConfig' in lambda.CfnFunction.prototype).toBe(false);
  });
});
