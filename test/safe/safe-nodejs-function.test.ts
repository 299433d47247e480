import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CheckoutFunction } from './checkout-function';
import { logicalIdOf, newBundlingFreeStack } from './kinds';
import { SafeNodejsFunction } from '../../src';
import { RECOGNIZE_LAYERS } from '../fixtures/stacks';

const EXPLICIT_ENTRY = path.join(__dirname, 'handlers', 'orders.ts');

/** Synthesizes `stack` (bundling with esbuild) and returns the bundled code of `fn`. */
function bundledCode(stack: Stack, fn: SafeNodejsFunction): string {
  const assembly = (stack.node.root as App).synth();
  const key: string = Template.fromStack(stack).toJSON().Resources[logicalIdOf(fn.function)].Properties.Code.S3Key;
  return fs.readFileSync(path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, 'index.js'), 'utf8');
}

describe('SafeNodejsFunction', () => {
  test('without entry, bundles <calling file>.<id>.ts next to the file that creates it, not a file of the library', () => {
    // GIVEN
    const stack = new Stack(new App({ context: RECOGNIZE_LAYERS }), 'Default');

    // WHEN
    const fn = new SafeNodejsFunction(stack, 'Orders', { runtime: lambda.Runtime.NODEJS_22_X });

    // THEN
    expect(bundledCode(stack, fn)).toContain('default-entry-marker');
  });

  test('in a subclass, the default entry is next to the subclass\'s file, as NodejsFunction does it', () => {
    // GIVEN
    const stack = new Stack(new App({ context: RECOGNIZE_LAYERS }), 'Default');

    // WHEN
    const fn = new CheckoutFunction(stack, 'Checkout');

    // THEN
    expect(bundledCode(stack, fn)).toContain('subclass-default-entry-marker');
  });

  test('with entry, bundles that file', () => {
    // GIVEN
    const stack = new Stack(new App({ context: RECOGNIZE_LAYERS }), 'Default');

    // WHEN
    const fn = new SafeNodejsFunction(stack, 'Orders', { entry: EXPLICIT_ENTRY, runtime: lambda.Runtime.NODEJS_22_X });

    // THEN
    expect(bundledCode(stack, fn)).toContain('explicit-entry-marker');
  });

  test('without entry and without a default entry file, names the files it looked for and the fix', () => {
    // GIVEN
    const stack = newBundlingFreeStack();

    // WHEN / THEN
    expect(() => new SafeNodejsFunction(stack, 'Missing')).toThrow(new RegExp(
      'Default/Missing: entry is not set, and none of the default entry files exists: '
      + `${path.join(__dirname, 'safe-nodejs-function.test.Missing.ts').replace(/[.]/g, '\\.')}, .*Fix: set entry`));
  });

  test('builds the function at <id>/Function and is its live alias, guarded, with the safe options', () => {
    // GIVEN
    const stack = newBundlingFreeStack();

    // WHEN
    const fn = new SafeNodejsFunction(stack, 'Orders', { entry: EXPLICIT_ENTRY, retainVersions: 2, stageAliases: [{ aliasName: 'dev' }] });

    // THEN
    expect(fn.function.node.path).toBe('Default/Orders/Function');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', FunctionName: { Ref: logicalIdOf(fn.function) } });
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'dev' });
    template.hasResource('AWS::Lambda::Version', { DeletionPolicy: 'Retain' });
    expect(stack.resolve(fn.functionArn)).toEqual({ Ref: logicalIdOf(fn.live) });
  });
});
