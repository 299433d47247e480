import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { adoptFunction } from './private/adopt-function';
import { SafeFunctionBase } from './safe-function-base';
import { SafeFunctionOptions } from './safe-function-options';

/**
 * Properties of a SafeAlias: the function to make safe, and SafeFunction's options.
 */
export interface SafeAliasProps extends SafeFunctionOptions {
  /**
   * The function to make safe: any `lambda.Function` this app defines, of any kind
   * (`NodejsFunction`, `DockerImageFunction`, `PythonFunction`, `GoFunction`, a subclass of your own).
   *
   * Refused: an imported function, a `lambda.SingletonFunction`, a function that is already safe,
   * a function in another stack, and one whose `currentVersion` already exists with options that
   * conflict with these.
   */
  readonly function: lambda.IFunction;
}

/**
 * Makes an existing function safe, in place: the function keeps its construct path and logical ID
 * (so a migration never replaces it), and this object is what `SafeFunction` is — its published
 * version, its `live` alias (an `IFunction` bound to `function:name:live`), the automatic `$LATEST`
 * guard, releases, stage aliases, pinning, weights, provisioned concurrency and async-invoke
 * settings on the alias, and `retainVersions`.
 *
 * Hand the SafeAlias, not the function, to integrations:
 *
 * ```ts
 * import * as sqs from 'aws-cdk-lib/aws-sqs';
 * import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
 * import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
 * import { SafeAlias } from 'cdk-safe-lambda';
 *
 * const queue = new sqs.Queue(this, 'OrdersQueue');
 * const fn = new NodejsFunction(this, 'Orders', { entry: 'src/orders.ts' });
 * const orders = new SafeAlias(this, 'OrdersLive', { function: fn });
 * queue.grantConsumeMessages(orders);
 * orders.addEventSource(new SqsEventSource(queue)); // binds Orders:live
 * ```
 */
export class SafeAlias extends SafeFunctionBase {
  constructor(scope: Construct, id: string, props: SafeAliasProps) {
    super(scope, id);
    const fn = adoptFunction(this, props.function, props);
    this._makeSafe(fn, props);
  }
}
