import * as path from 'path';
import {
  Annotations as CoreAnnotations, CfnDynamicReference, CfnDynamicReferenceService, CfnElement, CfnParameter,
  Duration, Fn, RemovalPolicy, SecretValue, Stack, Tags,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SafeFunction, SafeFunctionProps, VersionIntegrityWarnings } from '../src';
import { newStack, plainFunctionProps } from './fixtures/stacks';
import { referencesLogicalId } from './fixtures/template-paths';

function newSafeFunction(stack: Stack, props: Partial<SafeFunctionProps> = {}): SafeFunction {
  return new SafeFunction(stack, 'Fn', { ...plainFunctionProps(), ...props });
}

function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** `function:live`, as lambda.Alias derives its function name from its ARN. */
function aliasQualifiedName(aliasId: string, aliasName = 'live'): unknown {
  return { 'Fn::Join': ['', [{ 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: aliasId }] }] }, `:${aliasName}`]] };
}

describe('alias and version', () => {
  test('publishes the current version and points a live alias at it', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const safeFn = newSafeFunction(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::Lambda::Version', 1);
    template.resourceCountIs('AWS::Lambda::Alias', 1);
    template.hasResourceProperties('AWS::Lambda::Version', {
      FunctionName: { Ref: logicalIdOf(stack, safeFn.function) },
    });
    const [versionId] = Object.keys(template.findResources('AWS::Lambda::Version'));
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionName: { Ref: logicalIdOf(stack, safeFn.function) },
      FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
    });
  });

  test('names the alias after aliasName and describes it with aliasDescription', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const safeFn = newSafeFunction(stack, { aliasName: 'prod', aliasDescription: 'what customers call' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'prod',
      Description: 'what customers call',
    });
    expect(safeFn.aliasName).toBe('prod');
    expect(stack.resolve(safeFn.functionName)).toEqual(aliasQualifiedName(logicalIdOf(stack, safeFn.live), 'prod'));
  });

  test('is the alias: its ARN and name are those of the live alias', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const safeFn = newSafeFunction(stack);

    // THEN
    const aliasId = logicalIdOf(stack, safeFn.live);
    expect(stack.resolve(safeFn.functionArn)).toEqual({ Ref: aliasId });
    expect(stack.resolve(safeFn.functionName)).toEqual(aliasQualifiedName(aliasId));
    expect(safeFn.version).toBe(safeFn.currentVersion);
    expect(safeFn.lambda).toBe(safeFn.function);
    expect(safeFn.role).toBe(safeFn.function.role);
    expect(safeFn.node.defaultChild).toBe(safeFn.live.node.defaultChild);
  });
});

describe('version logical ID', () => {
  /** Logical ID of the one Version of a SafeFunction built from the base props plus `change`. */
  function versionLogicalId(
    change: (stack: Stack) => Partial<SafeFunctionProps> = () => ({}),
    after: (safeFn: SafeFunction, stack: Stack) => void = () => {},
    context?: Record<string, unknown>,
  ): string {
    const stack = newStack(context);
    const safeFn = newSafeFunction(stack, change(stack));
    after(safeFn, stack);
    const versions = Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Version'));
    expect(versions).toHaveLength(1);
    return versions[0];
  }

  function layer(stack: Stack, key: string): lambda.LayerVersion {
    return new lambda.LayerVersion(stack, 'Layer', {
      code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Layers', 'layers'), key, 'v1'),
    });
  }

  let base: string;
  beforeAll(() => {
    base = versionLogicalId();
  });

  test.each<[string, (stack: Stack) => Partial<SafeFunctionProps>]>([
    ['environment', () => ({ environment: { STAGE: 'prod' } })],
    ['code', () => ({ code: lambda.Code.fromInline('exports.handler = async () => "new";') })],
    ['layers', (stack) => ({ layers: [layer(stack, 'layer.zip')] })],
    ['architecture', () => ({ architecture: lambda.Architecture.ARM_64 })],
    ['memory', () => ({ memorySize: 1024 })],
    ['runtime', () => ({ runtime: lambda.Runtime.NODEJS_20_X })],
  ])('changes when the %s changes', (_what, change) => {
    // WHEN
    const changed = versionLogicalId(change);

    // THEN
    expect(changed).not.toEqual(base);
  });

  test("keeps the alias's logical ID when a new version is published, so the alias is updated, not replaced", () => {
    // GIVEN
    const aliasIdFor = (code: string) => {
      const stack = newStack();
      newSafeFunction(stack, { code: lambda.Code.fromInline(code) });
      return Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Alias'));
    };

    // THEN
    expect(aliasIdFor('exports.handler = async () => "new";')).toEqual(aliasIdFor('exports.handler = async () => "old";'));
  });

  test('changes when addEnvironment is called after construction', () => {
    // WHEN
    const changed = versionLogicalId(undefined, (safeFn) => safeFn.addEnvironment('STAGE', 'prod'));

    // THEN
    expect(changed).not.toEqual(base);
    expect(changed).toEqual(versionLogicalId(() => ({ environment: { STAGE: 'prod' } })));
  });

  test('changes when addLayers is called after construction', () => {
    // WHEN
    const changed = versionLogicalId(undefined, (safeFn, stack) => safeFn.addLayers(layer(stack, 'layer.zip')));

    // THEN
    expect(changed).not.toEqual(base);
  });

  test("changes when a layer's content changes, with recognizeLayerVersion on", () => {
    // GIVEN
    const before = versionLogicalId((stack) => ({ layers: [layer(stack, 'layer-1.zip')] }));

    // WHEN
    const after = versionLogicalId((stack) => ({ layers: [layer(stack, 'layer-2.zip')] }));

    // THEN
    expect(after).not.toEqual(before);
  });

  test("does not change when a layer's content changes with recognizeLayerVersion off, which is why SafeFunction warns", () => {
    // GIVEN
    const before = versionLogicalId((stack) => ({ layers: [layer(stack, 'layer-1.zip')] }), undefined, {});

    // WHEN
    const after = versionLogicalId((stack) => ({ layers: [layer(stack, 'layer-2.zip')] }), undefined, {});

    // THEN
    expect(after).toEqual(before);
  });

  test('changes when invalidateVersionBasedOn is given a new value', () => {
    // WHEN
    const changed = versionLogicalId(undefined, (safeFn) => safeFn.invalidateVersionBasedOn('schema-v2'));

    // THEN
    expect(changed).not.toEqual(base);
  });

  test('does not change when tags change', () => {
    // WHEN
    const changed = versionLogicalId(undefined, (safeFn) => Tags.of(safeFn).add('team', 'payments'));

    // THEN
    expect(changed).toEqual(base);
  });

  test('does not change when reserved concurrency changes', () => {
    // WHEN
    const changed = versionLogicalId(() => ({ reservedConcurrentExecutions: 5 }));

    // THEN
    expect(changed).toEqual(base);
  });
});

describe('invocation through the alias', () => {
  test('grantInvoke grants exactly the alias ARN, not the function or all its qualifiers', () => {
    // GIVEN
    const stack = newStack();
    const safeFn = newSafeFunction(stack);
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });

    // WHEN
    safeFn.grantInvoke(caller);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: logicalIdOf(stack, safeFn.live) } }],
      },
      Roles: [{ Ref: logicalIdOf(stack, caller) }],
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain(':*');
  });

  test('grantInvoke to a service principal adds a permission on the alias', () => {
    // GIVEN
    const stack = newStack();
    const safeFn = newSafeFunction(stack);

    // WHEN
    safeFn.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'));

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { Ref: logicalIdOf(stack, safeFn.live) },
      Principal: 'events.amazonaws.com',
    });
  });

  test('addPermission adds a permission on the alias ARN, none on the unqualified function', () => {
    // GIVEN
    const stack = newStack();
    const safeFn = newSafeFunction(stack);

    // WHEN
    safeFn.addPermission('S3', { principal: new iam.ServicePrincipal('s3.amazonaws.com') });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { Ref: logicalIdOf(stack, safeFn.live) },
      Principal: 's3.amazonaws.com',
    });
    expect(referencesLogicalId(template.findResources('AWS::Lambda::Permission'), logicalIdOf(stack, safeFn.function))).toBe(false);
  });

  test('metrics carry the FunctionName and Resource (function:live) dimensions, as lambda.Alias metrics do', () => {
    // GIVEN
    const stack = newStack();
    const safeFn = newSafeFunction(stack);

    // WHEN
    const metrics = [safeFn.metric('Invocations'), safeFn.metricErrors(), safeFn.metricDuration(), safeFn.metricThrottles()];

    // THEN
    for (const metric of metrics) {
      expect(stack.resolve(metric.dimensions)).toEqual({
        FunctionName: { Ref: logicalIdOf(stack, safeFn.function) },
        Resource: { 'Fn::Join': ['', [{ Ref: logicalIdOf(stack, safeFn.function) }, ':live']] },
      });
    }
  });

  test('addFunctionUrl adds a URL qualified with the alias', () => {
    // GIVEN
    const stack = newStack();
    const safeFn = newSafeFunction(stack);

    // WHEN
    safeFn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Url', {
      TargetFunctionArn: { 'Fn::GetAtt': [logicalIdOf(stack, safeFn.function), 'Arn'] },
      Qualifier: 'live',
      AuthType: 'AWS_IAM',
    });
  });

  test('a FunctionUrl given the SafeFunction is qualified with the alias', () => {
    // GIVEN
    const stack = newStack();
    const safeFn = newSafeFunction(stack, { aliasName: 'prod' });

    // WHEN
    new lambda.FunctionUrl(stack, 'Url', { function: safeFn });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Url', { Qualifier: 'prod' });
  });

  test('asynchronous-invocation props configure the alias, not $LATEST', () => {
    // GIVEN
    const stack = newStack();
    const failures = new sqs.Queue(stack, 'Failures');

    // WHEN
    const safeFn = newSafeFunction(stack, {
      retryAttempts: 0,
      maxEventAge: Duration.minutes(5),
      onFailure: new destinations.SqsDestination(failures),
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalIdOf(stack, safeFn.function) },
      Qualifier: { 'Fn::Select': [7, { 'Fn::Split': [':', { Ref: logicalIdOf(stack, safeFn.live) }] }] },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(stack, failures), 'Arn'] } } },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('$LATEST');
  });

  test('provisioned concurrency is configured on the alias, not on the version', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { provisionedConcurrentExecutions: 5 });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Alias', {
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 },
    });
    template.hasResourceProperties('AWS::Lambda::Version', {
      ProvisionedConcurrencyConfig: Match.absent(),
    });
  });

  test('versionRemovalPolicy RETAIN keeps replaced versions', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { versionRemovalPolicy: RemovalPolicy.RETAIN });

    // THEN
    Template.fromStack(stack).hasResource('AWS::Lambda::Version', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('versions have no deletion policy by default, so CloudFormation deletes replaced ones', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack);

    // THEN
    Template.fromStack(stack).hasResource('AWS::Lambda::Version', { DeletionPolicy: Match.absent() });
  });

  test('currentVersionOptions.removalPolicy applies when versionRemovalPolicy is not given', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN } });

    // THEN
    Template.fromStack(stack).hasResource('AWS::Lambda::Version', { DeletionPolicy: 'Retain' });
  });
});

describe('bad input', () => {
  test.each([
    ['empty', ''],
    ['129 characters long', 'a'.repeat(129)],
    ['all digits', '123'],
    ['with a space', 'a b'],
    ['$LATEST', '$LATEST'],
    ['with a non-ASCII letter', 'é'],
  ])('an alias name that is %s throws, naming the value and the fix', (_what, aliasName) => {
    // GIVEN
    const stack = newStack();

    // THEN
    expect(() => newSafeFunction(stack, { aliasName }))
      .toThrow(new RegExp(`invalid aliasName '${escapeRegExp(aliasName)}'.*Use 1 to 128 letters, digits, \`-\` or \`_\`, not all digits`));
  });

  test('an alias name known only at deploy time is accepted', () => {
    // GIVEN
    const stack = newStack();
    const aliasName = new CfnParameter(stack, 'AliasName').valueAsString;

    // WHEN
    newSafeFunction(stack, { aliasName });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', { Name: { Ref: 'AliasName' } });
  });

  test.each([0, 1.5, -1])('provisionedConcurrentExecutions of %d throws', (provisionedConcurrentExecutions) => {
    // GIVEN
    const stack = newStack();

    // THEN
    expect(() => newSafeFunction(stack, { provisionedConcurrentExecutions }))
      .toThrow(`provisionedConcurrentExecutions must be a whole number of at least 1, got ${provisionedConcurrentExecutions}`);
  });

  test('provisioned concurrency on the version (currentVersionOptions) throws and points to the alias prop', () => {
    // GIVEN
    const stack = newStack();

    // THEN
    expect(() => newSafeFunction(stack, { currentVersionOptions: { provisionedConcurrentExecutions: 2 } }))
      .toThrow(/currentVersionOptions.provisionedConcurrentExecutions is 2.*Use the provisionedConcurrentExecutions prop instead/);
  });
});

describe('version-integrity warnings', () => {
  test('warns when recognizeLayerVersion is off and the function has a layer', () => {
    // GIVEN
    const stack = newStack({});

    // WHEN (without a layer it does not warn: test/migration/visibility.test.ts, issue #16)
    newSafeFunction(stack, { layers: [lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3')] });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Default/Fn', Match.stringLikeRegexp(
      `@aws-cdk/aws-lambda:recognizeLayerVersion' is off.*Fix: set.*\\[ack: ${VersionIntegrityWarnings.LAYER_VERSION_NOT_RECOGNIZED}\\]`));
  });

  test('an acknowledgement on an ancestor silences the warning', () => {
    // GIVEN
    const stack = newStack({});
    newSafeFunction(stack, { layers: [lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3')] });

    // WHEN
    CoreAnnotations.of(stack).acknowledgeWarning(VersionIntegrityWarnings.LAYER_VERSION_NOT_RECOGNIZED);

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  // aws-cdk-lib 2.189 ignores an acknowledgement on the very construct a synth-time warning is added to.
  test('an acknowledgement on the SafeFunction itself silences the warning', () => {
    // GIVEN
    const stack = newStack({});
    const safeFn = newSafeFunction(stack, { layers: [lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3')] });

    // WHEN
    CoreAnnotations.of(safeFn).acknowledgeWarning(VersionIntegrityWarnings.LAYER_VERSION_NOT_RECOGNIZED, 'layers are pinned by ARN');

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test.each<[string, (stack: Stack) => string, string]>([
    ['a CfnParameter', (stack) => new CfnParameter(stack, 'TableName').valueAsString, 'Environment.Variables.VALUE is the CfnParameter Default/TableName'],
    ['Fn.importValue', () => Fn.importValue('Shared-TableName'), 'Environment.Variables.VALUE is an Fn::ImportValue'],
    ['Fn.importValue inside a string', () => `table-${Fn.importValue('Shared-TableName')}`, 'Environment.Variables.VALUE is an Fn::ImportValue'],
    ['a CfnParameter inside a string', (stack) => `arn:${new CfnParameter(stack, 'Account').valueAsString}:x`,
      'Environment.Variables.VALUE is the CfnParameter Default/Account'],
    ['an SSM dynamic reference', () => new CfnDynamicReference(CfnDynamicReferenceService.SSM, '/app/table').toString(),
      'Environment.Variables.VALUE is a dynamic reference'],
    ['a SecretValue', () => SecretValue.secretsManager('app/token').unsafeUnwrap(), 'Environment.Variables.VALUE is a dynamic reference'],
  ])('warns when an environment variable comes from %s', (_source, value, where) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { environment: { VALUE: value(stack) } });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Default/Fn', Match.stringLikeRegexp(
      `${escapeRegExp(where)}.*invalidateVersionBasedOn.*\\[ack: ${VersionIntegrityWarnings.DEPLOY_TIME_VALUE}\\]`));
  });

  test('warns about a deploy-time value added with addEnvironment after construction', () => {
    // GIVEN
    const stack = newStack();
    const safeFn = newSafeFunction(stack);

    // WHEN
    safeFn.addEnvironment('TABLE', new CfnParameter(stack, 'TableName').valueAsString);

    // THEN
    Annotations.fromStack(stack).hasWarning('/Default/Fn', Match.stringLikeRegexp(
      'Environment.Variables.TABLE is the CfnParameter Default/TableName'));
  });

  test('warns when a layer ARN comes from a CfnParameter', () => {
    // GIVEN
    const stack = newStack();
    const layerArn = new CfnParameter(stack, 'LayerArn').valueAsString;

    // WHEN
    newSafeFunction(stack, { layers: [lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', layerArn)] });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Default/Fn', Match.stringLikeRegexp(
      `Layers\\[0\\] is the CfnParameter Default/LayerArn.*\\[ack: ${VersionIntegrityWarnings.DEPLOY_TIME_VALUE}\\]`));
  });

  test('warns when the code is an S3 object without an object version', () => {
    // GIVEN
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Code', 'code');

    // WHEN
    newSafeFunction(stack, { code: lambda.Code.fromBucket(bucket, 'handler.zip') });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Default/Fn', Match.stringLikeRegexp(
      `without an object version.*objectVersion.*\\[ack: ${VersionIntegrityWarnings.UNVERSIONED_CODE}\\]`));
  });

  test('warns that code from CfnParameters is known only at deploy time, and only that', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { code: lambda.Code.fromCfnParameters() });

    // THEN
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Default/Fn', Match.stringLikeRegexp(
      `Code.S3Bucket is the CfnParameter.*\\[ack: ${VersionIntegrityWarnings.DEPLOY_TIME_VALUE}\\]`));
    annotations.hasNoWarning('/Default/Fn', Match.stringLikeRegexp(VersionIntegrityWarnings.UNVERSIONED_CODE));
  });

  test.each<[string, (stack: Stack) => lambda.Code]>([
    ['an S3 object with an object version', (stack) => lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Code', 'code'), 'handler.zip', 'v3')],
    ['an asset', () => lambda.Code.fromAsset(path.join(__dirname, 'fixtures', 'handler'))],
    ['inline code', () => lambda.Code.fromInline('exports.handler = async () => {};')],
  ])('does not warn when the code is %s', (_what, code) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { code: code(stack) });

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('does not warn about a plain function in an app with recognizeLayerVersion on', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { environment: { STAGE: 'prod' }, memorySize: 512 });

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
