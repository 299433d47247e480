import * as path from 'path';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { callerEntry } from './private/caller-entry';
import { checkSafeOptions } from './private/validate-options';
import { SafeFunctionBase } from './safe-function-base';
import { SafeFunctionOptions } from './safe-function-options';

/**
 * Properties of a SafeNodejsFunction: everything `NodejsFunction` takes, plus SafeFunction's options.
 */
export interface SafeNodejsFunctionProps extends nodejs.NodejsFunctionProps, SafeFunctionOptions {}

/**
 * A `NodejsFunction` (esbuild bundling, `entry` instead of `code`) that is safe like a SafeFunction:
 * it publishes a version on every change and *is* its `live` alias.
 *
 * Without `entry`, the handler is found as NodejsFunction finds it, next to the file that creates the
 * SafeNodejsFunction: `<that file>.<id>.ts` (or `.js`, `.mjs`, `.mts`, `.cts`, `.cjs`). The function
 * itself is at `<id>/Function`, as in a SafeFunction.
 */
export class SafeNodejsFunction extends SafeFunctionBase {
  constructor(scope: Construct, id: string, props: SafeNodejsFunctionProps = {}) {
    super(scope, id);
    const removalPolicy = checkSafeOptions(this, props, props.currentVersionOptions);
    const { onSuccess, onFailure, maxEventAge, retryAttempts, events, ...functionProps } = props;
    // NodejsFunction derives a missing entry from its caller's file, which would be this one.
    const entry = props.entry ?? (props.code === undefined ? callerEntry(this, 'SafeNodejsFunction', id) : undefined);
    const fn = new nodejs.NodejsFunction(this, 'Function', {
      ...functionProps,
      entry: entry && path.resolve(entry),
      currentVersionOptions: { ...props.currentVersionOptions, removalPolicy },
    });
    this._makeSafe(fn, props, props.code, events);
  }
}
