/**
 * Which versions an alias points to, when not simply the current one.
 */
export interface AliasTargetOptions {
  /**
   * Points the alias at an existing published version instead of the current one, without
   * rebuilding or re-uploading anything: the emergency rollback.
   *
   * The version must still exist: keep replaced versions (`versionRemovalPolicy: RemovalPolicy.RETAIN`).
   * The current version is still published, so removing the pin releases it.
   *
   * @default - the current version
   */
  readonly pinnedVersion?: string;

  /**
   * Splits the alias's traffic between a stable version and the current one (A/B).
   *
   * Lambda routes between two versions at most, and only between versions with the same execution
   * role and dead-letter configuration.
   *
   * @default - all traffic to one version
   */
  readonly weightedRouting?: WeightedRouting;
}

/**
 * A split of an alias's traffic between a stable version and the current one.
 */
export interface WeightedRouting {
  /**
   * The published version number that keeps the rest of the traffic, such as '7'.
   */
  readonly stableVersion: string;

  /**
   * Share of the traffic the current version receives, strictly between 0 and 1 (0.1 is 10%).
   */
  readonly newVersionWeight: number;
}
