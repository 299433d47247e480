/**
 * IDs of the rules of the `$LATEST` guard (`NoLatestInvocations`).
 *
 * Use them in `GuardSuppressions.add(scope, { ruleId, reason })`, in
 * `Annotations.of(scope).acknowledgeWarning(ruleId, reason)` for warnings, and to read `Finding.ruleId`.
 * The IDs are stable: they are declared here, never derived from file or class names.
 */
export class GuardRules {
  /**
   * Error: an integration binds a guarded function's unqualified ARN or name, or its `:$LATEST`
   * qualifier, so it invokes `$LATEST` (which can run new code with old configuration during a deploy).
   */
  public static readonly LATEST_BINDING = 'SafeLambda-LatestBinding';

  /**
   * Error: an `AWS::Lambda::Permission` grants invocation of a guarded function's unqualified ARN. A
   * resource policy on the unqualified ARN does not authorize invocations of an alias or a version, so
   * only `$LATEST` needs it.
   */
  public static readonly LATEST_PERMISSION = 'SafeLambda-LatestPermission';

  /**
   * Warning: an IAM policy allows `lambda:InvokeFunction` on a guarded function's unqualified ARN, which
   * lets its holder invoke `$LATEST`.
   */
  public static readonly LATEST_GRANT = 'SafeLambda-LatestGrant';

  /**
   * Error: an environment variable of another function holds a guarded function's unqualified ARN or
   * name, so SDK calls made with it invoke `$LATEST`.
   */
  public static readonly LATEST_SDK_TARGET = 'SafeLambda-LatestSdkTarget';

  /**
   * Error (only with `requireVersionsInStateMachines`): a state machine invokes a guarded function through
   * an alias, so a running execution can meet version N+1 halfway through.
   */
  public static readonly STATE_MACHINE_ALIAS = 'SafeLambda-StateMachineAlias';

  /**
   * Error, under every `GuardedFunctions` setting: a durable function (`durableConfig`) is bound
   * unqualified or at `$LATEST`, which Lambda refuses outright; its executions are pinned to a version.
   */
  public static readonly DURABLE_LATEST = 'SafeLambda-DurableLatest';

  /**
   * Error, under every `GuardedFunctions` setting: a SnapStart function is bound unqualified or at
   * `$LATEST`, so its snapshots are never used (SnapStart only works on published versions).
   */
  public static readonly SNAP_START_LATEST = 'SafeLambda-SnapStartLatest';

  /**
   * Warning: a Lambda Managed Instances function (capacity provider) is bound unqualified, which runs
   * `$LATEST.PUBLISHED`: every publish moves all traffic at once, with no canary and no rollback target.
   */
  public static readonly LATEST_PUBLISHED = 'SafeLambda-LatestPublished';

  /**
   * Warning, only under `GuardedFunctions.ALL` (strict mode): a Lambda Web Function endpoint sets
   * `AutoDeploymentMode: LatestRevision`, so every deployment moves all its traffic to the new revision
   * at once, with no canary; shift `RevisionWeights` instead.
   */
  public static readonly WEB_FUNCTION_ALL_AT_ONCE = 'SafeLambda-WebFunctionAllAtOnce';

  /**
   * Warning: a `GuardSuppressions` suppression matched no finding (it is stale, or its `appliesTo` is wrong).
   */
  public static readonly UNUSED_SUPPRESSION = 'SafeLambda-UnusedSuppression';

  /**
   * Warning: the guard could not check a resource (an unexpected failure inside the guard, e.g. a value
   * shape it does not know). The resource was not checked; synthesis goes on. The message names the
   * resource, the step that failed and the error; please report it.
   */
  public static readonly GUARD_INTERNAL_ERROR = 'SafeLambda-GuardInternalError';

  /**
   * Every rule ID above.
   */
  public static readonly ALL_IDS: string[] = [
    GuardRules.LATEST_BINDING,
    GuardRules.LATEST_PERMISSION,
    GuardRules.LATEST_GRANT,
    GuardRules.LATEST_SDK_TARGET,
    GuardRules.STATE_MACHINE_ALIAS,
    GuardRules.DURABLE_LATEST,
    GuardRules.SNAP_START_LATEST,
    GuardRules.LATEST_PUBLISHED,
    GuardRules.WEB_FUNCTION_ALL_AT_ONCE,
    GuardRules.UNUSED_SUPPRESSION,
    GuardRules.GUARD_INTERNAL_ERROR,
  ];

  private constructor() {}
}
