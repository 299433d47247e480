import { App, Annotations as CoreAnnotations, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SafeFunction, SafeFunctionProps } from '../../src';

// issue #17 §3: a customer-managed runtime under AUTO runtime management moves without a deploy.
const WARNING_ID = 'cdk-safe-lambda:SafeFunction.customRuntimeAutoUpdate';
const RUNTIME_ARN = 'arn:aws:lambda:eu-west-1:123456789012:runtime/my-runtime';
const VERSION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:runtime/my-runtime:3';

/** A SafeFunction on the `custom` runtime; `runtimeConfig` set by property override, as on the floor (2.232, no typed prop). */
function customRuntimeFunction(extra: Partial<SafeFunctionProps> = {}, runtimeConfig = true): { stack: Stack; fn: SafeFunction } {
  const stack = new Stack(new App(), 'Orders');
  // RuntimeConfig is version-locked in 2.278; the floor must be told (as a user's override would).
  lambda.Function.classifyVersionProperty('RuntimeConfig', true);
  const fn = new SafeFunction(stack, 'Fn', {
    runtime: new lambda.Runtime('custom', lambda.RuntimeFamily.OTHER),
    handler: 'index.handler',
    code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Code', 'code'), 'orders.zip'),
    ...extra,
  });
  if (runtimeConfig) {
    (fn.function.node.defaultChild as lambda.CfnFunction).addPropertyOverride('RuntimeConfig', { RuntimeArn: RUNTIME_ARN, RuntimeAlias: 'stable' });
  }
  return { stack, fn };
}

function warnings(stack: Stack) {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING_ID.replace(/\./g, '\\.')));
}

describe('a customer-managed runtime under automatic runtime management', () => {
  test('GIVEN RuntimeConfig and no runtime management mode (AUTO) THEN a warning names the runtime, the alias, what AWS says and the pin', () => {
    const { stack } = customRuntimeFunction();
    const found = warnings(stack);
    expect(found).toHaveLength(1);
    const text = found[0].entry.data as string;
    expect(text.split('\n')[0]).toBe('Orders/Fn: its customer-managed runtime follows the runtime alias under AUTO runtime management');
    expect(text.split('\n')[0].length).toBeLessThanOrEqual(120);
    expect(text).toContain(`runtime: ${RUNTIME_ARN}, alias: stable`);
    expect(text).toContain('they do not say whether published versions stay put');
    expect(text).toMatch(/Fix: runtimeManagementMode: lambda\.RuntimeManagementMode\.manual\(runtimeVersionArn\)/);
  });

  test.each<[string, Partial<SafeFunctionProps>, boolean, number]>([
    ['RuntimeManagementMode.AUTO spelled out', { runtimeManagementMode: lambda.RuntimeManagementMode.AUTO }, true, 1],
    ['RuntimeManagementMode.FUNCTION_UPDATE', { runtimeManagementMode: lambda.RuntimeManagementMode.FUNCTION_UPDATE }, true, 0],
    ['RuntimeManagementMode.manual(arn) (the pin)', { runtimeManagementMode: lambda.RuntimeManagementMode.manual(VERSION_ARN) }, true, 0],
    ['no RuntimeConfig (a Lambda-managed or OS-only runtime)', {}, false, 0],
  ])('GIVEN %s THEN the warning count follows', (_what, extra, runtimeConfig, count) => {
    const { stack } = customRuntimeFunction(extra, runtimeConfig);
    expect(warnings(stack)).toHaveLength(count);
  });

  test('GIVEN RuntimeConfig set after the SafeFunction was built THEN it is still seen (checked at synth)', () => {
    const { stack, fn } = customRuntimeFunction({}, false);
    (fn.function.node.defaultChild as lambda.CfnFunction).addPropertyOverride('RuntimeConfig', { RuntimeArn: RUNTIME_ARN, RuntimeAlias: 'latest' });
    expect(warnings(stack)[0].entry.data).toContain('alias: latest');
  });

  test('GIVEN the warning acknowledged on the SafeFunction THEN it is not reported', () => {
    const { stack, fn } = customRuntimeFunction();
    CoreAnnotations.of(fn).acknowledgeWarning(WARNING_ID, 'the runtime alias only moves through our release');
    expect(warnings(stack)).toHaveLength(0);
  });

  test('GIVEN the FunctionRuntimeConfig Mixin where aws-cdk-lib has it (2.278) THEN it warns the same; the floor has no Mixin', () => {
    const Mixin = (lambda as any).mixins?.FunctionRuntimeConfig;
    const { stack, fn } = customRuntimeFunction({}, false);
    if (Mixin) {
      (fn.function as any).with(new Mixin({ runtimeArn: RUNTIME_ARN, runtimeAlias: 'stable' }));
    }
    expect(warnings(stack)).toHaveLength(Mixin ? 1 : 0);
  });
});
