import { AliasTargetOptions } from './alias-target-options';

/**
 * Options of a stage alias (dev, beta, prod, or a branch's alias), next to the live alias on the
 * same function.
 */
export interface StageAliasOptions extends AliasTargetOptions {
  /**
   * Description of the alias.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Provisioned concurrency for the alias.
   *
   * @default - no provisioned concurrency
   */
  readonly provisionedConcurrentExecutions?: number;
}

/**
 * A stage alias, named.
 */
export interface StageAlias extends StageAliasOptions {
  /**
   * Name of the alias: 1 to 128 letters, digits, `-` or `_`, not all digits, not the live alias's
   * name. For a git branch, use `SafeFunction.aliasNameForBranch(branch)`.
   */
  readonly aliasName: string;
}
