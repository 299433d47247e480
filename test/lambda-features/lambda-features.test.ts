import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { capacityProvider, hasSnapStart, isDurable, renderedFunctionProperties, tenancy } from '../../src/private/lambda-features';

/** Whether the aws-cdk-lib under test has the L2 props (durableConfig, TenancyConfig: 2.232+). */
const HAS_L2_DURABLE = typeof (lambda as any).TenancyConfig === 'function';

function newFunction(extra: Record<string, unknown> = {}): { stack: Stack; fn: lambda.Function } {
  const stack = new Stack(new App(), 'Stack');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    ...extra,
  } as lambda.FunctionProps);
  return { stack, fn };
}

describe('lambda feature readers', () => {
  test('a plain function has none of the version-dependent features', () => {
    // GIVEN a function without durable, SnapStart, capacity provider or tenancy settings
    const { fn } = newFunction();
    // THEN every reader says so, on the L2 and on its CfnFunction alike
    for (const scope of [fn, fn.node.defaultChild!]) {
      expect(isDurable(scope)).toBe(false);
      expect(hasSnapStart(scope)).toBe(false);
      expect(capacityProvider(scope)).toBeUndefined();
      expect(tenancy(scope)).toBeUndefined();
    }
  });

  test.each([
    ['DurableConfig', { ExecutionTimeout: 3600 }, (s: any) => isDurable(s), true],
    ['SnapStart', { ApplyOn: 'PublishedVersions' }, (s: any) => hasSnapStart(s), true],
    ['SnapStart', { ApplyOn: 'None' }, (s: any) => hasSnapStart(s), false],
    ['CapacityProviderConfig', { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: 'arn:aws:lambda:us-east-1:111111111111:capacity-provider:cp' } },
      (s: any) => capacityProvider(s), 'arn:aws:lambda:us-east-1:111111111111:capacity-provider:cp'],
    ['TenancyConfig', { TenantIsolationMode: 'PER_TENANT' }, (s: any) => tenancy(s), 'PER_TENANT'],
  ])('a raw override of %s %j is read on any aws-cdk-lib', (property, value, read, expected) => {
    // GIVEN a feature set through a raw override (no typed prop needed)
    const { fn } = newFunction();
    (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride(property, value);
    // THEN the reader sees it
    expect(read(fn)).toEqual(expected);
  });

  test('an addOverride on Properties is read too', () => {
    // GIVEN a durable config set with addOverride
    const { fn } = newFunction();
    (fn.node.defaultChild as lambda.CfnFunction).addOverride('Properties.DurableConfig.ExecutionTimeout', 60);
    // THEN the function is durable
    expect(isDurable(fn)).toBe(true);
  });

  test('the L1 snapStart property is read', () => {
    // GIVEN SnapStart set on the CfnFunction
    const { fn } = newFunction();
    (fn.node.defaultChild as lambda.CfnFunction).snapStart = { applyOn: 'PublishedVersions' };
    // THEN hasSnapStart answers true
    expect(hasSnapStart(fn)).toBe(true);
  });

  test('the L2 durableConfig and tenancyConfig props are read where aws-cdk-lib has them', () => {
    if (HAS_L2_DURABLE) {
      // GIVEN the L2 props (aws-cdk-lib >= 2.232.0)
      const { fn } = newFunction({
        durableConfig: { executionTimeout: Duration.hours(1) },
        tenancyConfig: (lambda as any).TenancyConfig.PER_TENANT,
      });
      // THEN both are seen
      expect(isDurable(fn)).toBe(true);
      expect(tenancy(fn)).toBe('PER_TENANT');
    } else {
      // GIVEN an aws-cdk-lib without the props: an unknown prop is ignored by the L2
      const { fn } = newFunction({ durableConfig: { executionTimeout: Duration.hours(1) } });
      // THEN nothing crashes and the function is not durable
      expect(isDurable(fn)).toBe(false);
    }
  });

  test('a construct that is not a function reads as undefined, never a crash', () => {
    // GIVEN a stack (no function)
    const stack = new Stack(new App(), 'Stack');
    // THEN the readers answer "no feature"
    expect(renderedFunctionProperties(stack)).toBeUndefined();
    expect(isDurable(stack)).toBe(false);
    expect(hasSnapStart(stack)).toBe(false);
  });

  test('an ApplyOn that is a parameter is not taken for SnapStart', () => {
    // GIVEN SnapStart whose ApplyOn comes from a CloudFormation parameter
    const { stack, fn } = newFunction();
    const param = new CfnParameter(stack, 'ApplyOn');
    (fn.node.defaultChild as lambda.CfnFunction).snapStart = { applyOn: param.valueAsString };
    // THEN hasSnapStart answers false (unknown at synth), and the token is left untouched
    expect(hasSnapStart(fn)).toBe(false);
    expect(renderedFunctionProperties(fn)?.SnapStart.ApplyOn).toEqual({ Ref: 'ApplyOn' });
  });
});
