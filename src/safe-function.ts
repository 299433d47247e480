import { AspectPriority, Aspects, Fn, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { aliasNameProblem } from './private/alias-name';
import { guardSafeFunction } from './private/guard/registration';
import { aliasNameForBranch } from './private/release/branch-alias-name';
import { addStageAlias, configureRelease, createLiveAlias, ReleaseSubject } from './private/release/release';
import { checkVersionIntegrity } from './private/version-integrity';
import { SafeDeployment, SafeFunctionReleaseOptions, StageAliasOptions } from './release';
import { SafeFunctionRetentionOptions } from './retention';
import { VersionPruner, versionRemovalPolicy } from './retention/private/version-pruner';

/**
 * Properties of a SafeFunction: everything `lambda.Function` takes, plus the alias it is bound to.
 *
 * The asynchronous-invocation settings inherited from `lambda.FunctionProps` (`onSuccess`,
 * `onFailure`, `maxEventAge`, `retryAttempts`) are applied to the alias: configured on the function
 * they would only apply to `$LATEST`, and invocations through the alias would get none of them.
 */
export interface SafeFunctionProps extends lambda.FunctionProps, SafeFunctionReleaseOptions, SafeFunctionRetentionOptions {
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
   * Whether this SafeFunction adds the `$LATEST` guard (`NoLatestInvocations`) to its Stage, which fails
   * synthesis when anything binds its inner function unqualified.
   *
   * With `false`, the automatic guard ignores this function; a guard you add yourself still covers it.
   *
   * @default true
   */
  readonly guard?: boolean;
}

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
 * `lambda.Function`.
 */
export class SafeFunction extends lambda.QualifiedFunctionBase implements lambda.IFunction {
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

  /**
   * The unqualified function.
   *
   * Bind integrations to the SafeFunction itself, never to this: through it they would invoke
   * `$LATEST`.
   */
  public readonly function: lambda.Function;

  /** The version published from the current code and configuration. */
  public readonly currentVersion: lambda.Version;

  /** The alias every integration binds to. */
  public readonly live: lambda.Alias;

  /** Name of the alias every integration binds to. */
  public readonly aliasName: string;

  /**
   * The version the alias points to.
   *
   * Same as `currentVersion` unless `pinnedVersion` or `weightedRouting` names another; present so
   * that APIs which recognize aliases by their shape (such as `lambda.FunctionUrl`) treat a
   * SafeFunction as the alias it is.
   */
  public readonly version: lambda.IVersion;

  /**
   * The CodeDeploy deployment that releases new versions through the alias.
   *
   * @default - none, unless the `deployment` prop is set
   */
  public readonly deployment?: SafeDeployment;

  /**
   * The unqualified function, as `lambda.QualifiedFunctionBase` requires.
   *
   * Prefer `function`; this member exists because the base class declares it.
   */
  public readonly lambda: lambda.IFunction;

  public readonly functionArn: string;
  public readonly functionName: string;
  public readonly architecture: lambda.Architecture;
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly role?: iam.IRole;

  protected readonly qualifier: string;
  protected readonly canCreatePermissions = true;

  constructor(scope: Construct, id: string, props: SafeFunctionProps) {
    super(scope, id);

    const aliasName = props.aliasName ?? 'live';
    const problem = aliasNameProblem(aliasName);
    if (problem) {
      throw new Error(`${this.node.path}: invalid aliasName '${aliasName}': ${problem}. `
        + 'Use 1 to 128 letters, digits, `-` or `_`, not all digits (for example \'live\').');
    }
    if (props.currentVersionOptions?.provisionedConcurrentExecutions !== undefined) {
      throw new Error(`${this.node.path}: currentVersionOptions.provisionedConcurrentExecutions is `
        + `${props.currentVersionOptions.provisionedConcurrentExecutions}, which would strand provisioned concurrency on one version. `
        + 'Use the provisionedConcurrentExecutions prop instead: it configures the alias.');
    }
    const pc = props.provisionedConcurrentExecutions;
    if (pc !== undefined && !Token.isUnresolved(pc) && (!Number.isInteger(pc) || pc < 1)) {
      throw new Error(`${this.node.path}: provisionedConcurrentExecutions must be a whole number of at least 1, got ${pc}. `
        + 'Omit it for no provisioned concurrency.');
    }
    // retainVersions retains replaced versions for the pruner, and rejects a policy that deletes them.
    const removalPolicy = versionRemovalPolicy(this, props, props.versionRemovalPolicy ?? props.currentVersionOptions?.removalPolicy);

    const { onSuccess, onFailure, maxEventAge, retryAttempts, ...functionProps } = props;
    this.function = new lambda.Function(this, 'Function', {
      ...functionProps,
      currentVersionOptions: { ...props.currentVersionOptions, removalPolicy },
    });
    this.lambda = this.function;
    guardSafeFunction(this, this.function, props.guard ?? true);
    this.currentVersion = this.function.currentVersion;
    this.aliasName = aliasName;
    this.live = createLiveAlias(this.releaseSubject, props.aliasDescription, pc, props);
    this.version = this.live.version;
    this.node.defaultChild = this.live.node.defaultChild;
    VersionPruner.addTo(this, { function: this.function, version: this.currentVersion, alias: this.live, options: props });

    this.functionArn = this.live.functionArn;
    this.functionName = this.live.functionName;
    // Derived from the alias ARN, as lambda.Alias does, so whatever uses it depends on the alias.
    this.qualifier = Fn.select(7, Fn.split(':', this.live.functionArn));
    this.architecture = this.function.architecture;
    this.grantPrincipal = this.function.grantPrincipal;
    this.role = this.function.role;

    if (onSuccess || onFailure || maxEventAge || retryAttempts !== undefined) {
      this.configureAsyncInvoke({ onSuccess, onFailure, maxEventAge, retryAttempts });
    }
    this.deployment = configureRelease(this.releaseSubject, this.live, props);
    VersionPruner.watchRelease(this, this.deployment?.deploymentGroup);

    Aspects.of(this).add({
      visit: (node) => {
        if (node === this) {
          checkVersionIntegrity(this, this.function, props.code);
        }
      },
    }, { priority: AspectPriority.READONLY });
  }

  /**
   * Adds an alias next to the live one (dev, beta, prod, a branch), on the current version or a
   * pinned one. Aliases never replace each other: each one's ID is derived from its name.
   */
  public addStageAlias(aliasName: string, options: StageAliasOptions = {}): lambda.Alias {
    return addStageAlias(this.releaseSubject, aliasName, options);
  }

  private get releaseSubject(): ReleaseSubject {
    return { owner: this, fn: this.function, current: this.currentVersion, aliasName: this.aliasName };
  }

  /** The function's log group (shared by every version and alias). */
  public get logGroup(): logs.ILogGroup {
    return this.function.logGroup;
  }

  /** The function's network connections; only VPC-bound functions have security groups. */
  public get connections(): ec2.Connections {
    return this.function.connections;
  }

  /** Whether the function is attached to a VPC. */
  public get isBoundToVpc(): boolean {
    return this.function.isBoundToVpc;
  }

  /**
   * Adds an environment variable to the function.
   *
   * The change publishes a new version, and the alias moves to it.
   */
  public addEnvironment(key: string, value: string, options?: lambda.EnvironmentOptions): SafeFunction {
    this.function.addEnvironment(key, value, options);
    return this;
  }

  /**
   * Adds layers to the function.
   *
   * The change publishes a new version when the feature flag
   * `@aws-cdk/aws-lambda:recognizeLayerVersion` is on (SafeFunction warns when it is off).
   */
  public addLayers(...layers: lambda.ILayerVersion[]): void {
    this.function.addLayers(...layers);
  }

  /**
   * Publishes a new version whenever `x` changes, for changes the function's properties do not show.
   */
  public invalidateVersionBasedOn(x: string): void {
    this.function.invalidateVersionBasedOn(x);
  }

  /**
   * Returns a metric of the alias (dimensions FunctionName and Resource), as `lambda.Alias` does.
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.live.metric(metricName, props);
  }

  /**
   * Adds a function URL that invokes the alias (`Qualifier` is the alias name).
   */
  public addFunctionUrl(options?: lambda.FunctionUrlOptions): lambda.FunctionUrl {
    return this.live.addFunctionUrl(options);
  }
}
