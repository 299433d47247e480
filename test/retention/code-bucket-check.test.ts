import { App, Annotations as CoreAnnotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SafeFunction, SafeFunctionProps } from '../../src';

// issue #17 §4: in REFERENCE mode a retained version is only as good as its S3 object version.
const WARNING_ID = 'cdk-safe-lambda:SafeFunction.codeBucketExpiresRetainedVersions';
const KEY = 'functions/orders.zip';

interface Setup {
  /** How the function reads its code: REFERENCE by property override (any aws-cdk-lib), or the default COPY. */
  mode?: 'REFERENCE' | 'COPY';
  fn?: Partial<SafeFunctionProps>;
  rules?: s3.LifecycleRule[];
  /** Where the bucket lives: the function's stack, another stack of the app, or outside the app. */
  bucketIn?: 'same' | 'other' | 'imported';
}

function synth({ mode = 'REFERENCE', fn = { retainVersions: 3 }, rules = [{ noncurrentVersionExpiration: Duration.days(30) }], bucketIn = 'same' }: Setup) {
  const app = new App();
  const stack = new Stack(app, 'Orders', { env: { account: '123456789012', region: 'eu-west-1' } });
  const bucketStack = bucketIn === 'other' ? new Stack(app, 'Storage', { env: { account: '123456789012', region: 'eu-west-1' } }) : stack;
  const bucket = bucketIn === 'imported'
    ? s3.Bucket.fromBucketName(stack, 'Code', 'shared-code')
    : new s3.Bucket(bucketStack, 'Code', { versioned: true, lifecycleRules: rules });
  const safe = new SafeFunction(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromBucket(bucket, KEY, 'v1'),
    ...fn,
  });
  if (mode === 'REFERENCE') {
    (safe.function.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Code.S3ObjectStorageMode', 'REFERENCE');
  }
  return { app, stack, safe, bucket };
}

function warnings(stack: Stack) {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING_ID.replace(/\./g, '\\.')));
}

describe('a code bucket that expires what retained versions read', () => {
  test('GIVEN REFERENCE mode, retained versions and a noncurrent expiration THEN one warning names the bucket, the rule and the fix', () => {
    const { stack } = synth({ rules: [{ id: 'tidy', noncurrentVersionExpiration: Duration.days(30) }] });
    const found = warnings(stack);
    expect(found).toHaveLength(1);
    const text = found[0].entry.data as string;
    expect(text.split('\n')[0]).toBe('Orders/Fn: its code bucket can delete the code of retained versions (S3ObjectStorageMode REFERENCE)');
    expect(text).toContain(`bucket: Orders/Code/Resource, key: ${KEY}`);
    expect(text).toContain('rule tidy: expires noncurrent object versions after 30 day(s)');
    expect(text).toMatch(/Fix: exclude the code's prefix from the rule .*S3ObjectStorageMode\.COPY/);
  });

  test.each<[string, number, Setup]>([
    ['COPY mode (the default): Lambda keeps its own copy', 0, { mode: 'COPY' }],
    ['no retained versions (CloudFormation deletes replaced ones)', 0, { fn: {} }],
    ['versions retained by versionRemovalPolicy, no pruner', 1, { fn: { versionRemovalPolicy: RemovalPolicy.RETAIN } }],
    ['a rule on another prefix', 0, { rules: [{ prefix: 'logs/', noncurrentVersionExpiration: Duration.days(1) }] }],
    ['a rule on the code\'s prefix', 1, { rules: [{ prefix: 'functions/', noncurrentVersionExpiration: Duration.days(1) }] }],
    ['a disabled rule', 0, { rules: [{ enabled: false, noncurrentVersionExpiration: Duration.days(1) }] }],
    ['a rule that keeps newer noncurrent versions (they count per key, not per Lambda version)', 1, { rules: [{ noncurrentVersionExpiration: Duration.days(1), noncurrentVersionsToRetain: 10 }] }],
    ['a rule that only expires current objects (their versions stay as noncurrent ones)', 0, { rules: [{ expiration: Duration.days(30) }] }],
    ['noncurrent versions archived to Glacier', 1, { rules: [{ noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(30) }] }] }],
    ['noncurrent versions moved to Glacier Instant Retrieval (readable)', 0, {
      rules: [{ noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(30) }] }],
    }],
    ['a tag filter that may match the code', 1, { rules: [{ tagFilters: { tier: 'tmp' }, noncurrentVersionExpiration: Duration.days(1) }] }],
    ['the bucket in another stack of the app', 1, { bucketIn: 'other' }],
    ['an imported bucket (its rules are not in the app)', 0, { bucketIn: 'imported' }],
  ])('GIVEN %s THEN %i warning(s)', (_what, count, setup) => {
    const { stack } = synth(setup);
    expect(warnings(stack)).toHaveLength(count);
  });

  test('GIVEN a tag filter THEN the warning says it applies only if the filter matches', () => {
    const { stack } = synth({ rules: [{ tagFilters: { tier: 'tmp' }, noncurrentVersionExpiration: Duration.days(1) }] });
    expect(warnings(stack)[0].entry.data).toContain('(if its tag or size filter matches the code)');
  });

  test('GIVEN the rule added by a property override on the bucket THEN it is read too', () => {
    const { stack, bucket } = synth({ rules: [] });
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('LifecycleConfiguration', {
      Rules: [{ Id: 'raw', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 7 } }],
    });
    expect(warnings(stack)[0].entry.data).toContain('rule raw: expires noncurrent object versions after 7 day(s)');
  });

  test('GIVEN the warning acknowledged on the SafeFunction THEN it is not reported', () => {
    const { stack, safe } = synth({});
    CoreAnnotations.of(safe).acknowledgeWarning(WARNING_ID, 'the rule spares functions/');
    expect(warnings(stack)).toHaveLength(0);
  });

  test('GIVEN the typed s3ObjectStorageMode where aws-cdk-lib has it (2.278) THEN it warns the same; the floor has no such prop', () => {
    const StorageMode = (lambda as any).S3ObjectStorageMode;
    const stack = new Stack(new App(), 'Orders');
    const bucket = new s3.Bucket(stack, 'Code', { versioned: true, lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }] });
    const code = StorageMode
      ? (lambda.Code as any).fromBucketV2(bucket, KEY, { objectVersion: 'v1', s3ObjectStorageMode: StorageMode.REFERENCE })
      : lambda.Code.fromBucket(bucket, KEY, 'v1');
    new SafeFunction(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, retainVersions: 3 });
    expect(warnings(stack)).toHaveLength(StorageMode ? 1 : 0);
  });
});
