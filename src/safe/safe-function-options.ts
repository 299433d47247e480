import { RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SafeFunctionReleaseOptions } from '../release/safe-function-release-options';
import { SafeFunctionRetentionOptions } from '../retention/safe-function-retention-options';

/**
 * What makes a function safe, whatever built it: the alias it is bound to, its releases and the
 * versions it keeps. `SafeFunction`, `SafeNodejsFunction`, `SafeDockerImageFunction` and `SafeAlias`
 * (which makes an existing function safe) all take these.
 *
 * The asynchronous-invocation settings (`onSuccess`, `onFailure`, `maxEventAge`, `retryAttempts`) are
 * applied to the alias: configured on the function they would only apply to `$LATEST`, and
 * invocations through the alias would get none of them.
 */
export interface SafeFunctionOptions extends lambda.EventInvokeConfigOptions, SafeFunctionReleaseOptions, SafeFunctionRetentionOptions {
  /**
   * Name of the alias that every integration binds to.
   *
   * 1 to 128 letters, digits, `-` or `_`, not all digits, not `$LATEST`.
   *
   * @default 'live'
   */
  readonly aliasName?: string;

  /**
   * Description of the alias.
   *
   * @default - no description
   */
  readonly aliasDescription?: string;

  /**
   * Provisioned concurrency for the alias.
   *
   * Configured on the alias, not on the version, so that it follows the alias from release to
   * release instead of being stranded on an old version.
   *
   * @default - no provisioned concurrency
   */
  readonly provisionedConcurrentExecutions?: number;

  /**
   * What happens to a version once a newer one replaces it.
   *
   * `DESTROY` is aws-cdk-lib's default: CloudFormation deletes the replaced version once the update
   * has completed (a rollback during the update still finds it). `RETAIN` keeps every version, so the
   * alias can be pointed back at any of them; old versions then count against the account's code
   * storage until you delete them.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly versionRemovalPolicy?: RemovalPolicy;

  /**
   * Whether the function adds the `$LATEST` guard (`NoLatestInvocations`) to its Stage, which fails
   * synthesis when anything binds its unqualified function.
   *
   * With `false`, the automatic guard ignores this function; a guard you add yourself still covers it.
   *
   * @default true
   */
  readonly guard?: boolean;
}
