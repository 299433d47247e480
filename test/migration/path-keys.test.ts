import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { GuardedFunctions, MakeFunctionsSafe, NoLatestInvocations } from '../../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #16 §1: a binding is rewritten wherever it is, including under a map key with dots or brackets
// (environment variable names, MWAA-style `lambda.function_name` keys): the guard's property path
// names such keys as they are, and the migration reads it against the template.

interface KeyCase {
  readonly name: string;
  /** Where the binding is, under Properties, as a list of keys. */
  readonly keys: string[];
}

const CASES: KeyCase[] = [
  { name: 'an environment variable named with dots', keys: ['Environment', 'Variables', 'lambda.function_name'] },
  { name: 'an environment variable named with several dots', keys: ['Environment', 'Variables', 'a.b.c'] },
  { name: 'an environment variable named with brackets', keys: ['Environment', 'Variables', 'worker[0]'] },
  { name: 'an environment variable named with a dot and a bracket', keys: ['Environment', 'Variables', 'fn.arns[1]'] },
  { name: 'an environment variable named with a backslash', keys: ['Environment', 'Variables', 'back\\slash.arn'] },
];

function appWith(keys: string[]) {
  const app = new App({ context: RECOGNIZE_LAYERS });
  const stack = new Stack(app, 'Default');
  const target = new lambda.Function(stack, 'Target', plainFunctionProps());
  const caller = new lambda.Function(stack, 'Caller', plainFunctionProps());
  const cfn = caller.node.defaultChild as CfnResource;
  const [first, ...rest] = keys;
  const value = rest.reduceRight<unknown>((inner, key) => ({ [key]: inner }), target.functionArn);
  cfn.addPropertyOverride(first, value);
  target.grantInvoke(caller);
  return { app, stack, keys };
}

describe('MakeFunctionsSafe: property keys with dots or brackets', () => {
  test.each(CASES)('GIVEN a binding under $name WHEN migrating THEN it binds the alias and synth passes the guard', ({ keys }) => {
    const { app, stack } = appWith(keys);
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    const caller = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
      .find((r) => JSON.stringify(r.Properties.Environment ?? {}).includes(keys[keys.length - 1].replace(/\\/g, '\\\\')))!;
    const value = keys.slice(1).reduce((v: any, k) => v?.[k], caller.Properties[keys[0]]);
    expect(JSON.stringify(value)).toMatch(/TargetSafe|:live/);
    expect(Object.keys(caller.Properties.Environment.Variables)).toEqual([keys[keys.length - 1]]);
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed)).toEqual([]);
  });
});
