import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { checkSafeOptions } from './private/validate-options';
import { SafeFunctionBase } from './safe-function-base';
import { SafeFunctionOptions } from './safe-function-options';
import { aliasNameForBranch } from '../release/private/branch-alias-name';

/**
 * Properties of a SafeFunction: everything `lambda.Function` takes, plus the alias it is bound to.
 *
 * The asynchronous-invocation settings inherited from `lambda.FunctionProps` (`onSuccess`,
 * `onFailure`, `maxEventAge`, `retryAttempts`) are applied to the alias, and the `events` are bound
 * to the alias: configured on the function they would only apply to `$LATEST`.
 */
export interface SafeFunctionProps extends lambda.FunctionProps, SafeFunctionOptions {}

/**
 * A Lambda function that is only ever invoked through a published version, via an alias.
 *
 * CloudFormation updates a function's code and its configuration in two separate calls; whatever
 * invokes the unqualified function (`$LATEST`) in between can run new code with old settings or the
 * reverse. A SafeFunction publishes `currentVersion` on every change and moves its alias (`live`) to
 * it in one step, and it *is* that alias: hand it to any integration (API Gateway, event sources, SNS,
 * EventBridge, S3, Step Functions...) and the integration binds `function:name:live`.
 *
 * Reach the unqualified function through `function` only where an API needs a concrete
 * `lambda.Function`. For a function built otherwise (NodejsFunction, DockerImageFunction, a
 * subclass), see `SafeNodejsFunction`, `SafeDockerImageFunction` and `SafeAlias`.
 */
export class SafeFunction extends SafeFunctionBase {
  /**
   * Returns a valid, stable alias name for a git branch, for a branch alias (`addStageAlias`).
   *
   * Characters Lambda refuses become `-` and the name is cut to 128 characters; whenever the name
   * had to change, or is all digits, a short hash of the branch name is appended so that two
   * branches never share an alias: `feature/ABC-123` gives `feature-ABC-123-` and 8 hex digits.
   */
  public static aliasNameForBranch(branch: string): string {
    return aliasNameForBranch(branch);
  }

  constructor(scope: Construct, id: string, props: SafeFunctionProps) {
    super(scope, id);
    const removalPolicy = checkSafeOptions(this, props, props.currentVersionOptions);
    const { onSuccess, onFailure, maxEventAge, retryAttempts, events, ...functionProps } = props;
    const fn = new lambda.Function(this, 'Function', {
      ...functionProps,
      currentVersionOptions: { ...props.currentVersionOptions, removalPolicy },
    });
    this._makeSafe(fn, props, props.code, events);
  }
}
