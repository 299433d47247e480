import { AspectPriority, Aspects, Fn } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { recordMadeSafe } from '../private/made-safe';
import { watchQualifiedNames } from './private/qualified-name-check';
import { watchRuntimeManagement } from './private/runtime-management-check';
import { SafeFunctionOptions } from './safe-function-options';
import { guardSafeFunction } from '../guard/private/registration';
import { checkVersionIntegrity } from '../private/version-integrity';
import { addStageAlias, configureRelease, createLiveAlias, ReleaseSubject } from '../release/private/release';
import { SafeDeployment } from '../release/safe-deployment';
import { StageAliasOptions } from '../release/stage-alias';
import { watchRetentionChecks } from '../retention/private/retention-checks';
import { VersionPruner } from '../retention/private/version-pruner';

/**
 * The safe part of every safe function, whatever built the function: the published version, the
 * `live` alias it *is* (an `IFunction` bound to `function:name:live`), the automatic `$LATEST` guard,
 * releases, stage aliases, provisioned concurrency and async-invoke settings on the alias, and the
 * version pruner.
 *
 * `SafeFunction`, `SafeNodejsFunction` and `SafeDockerImageFunction` build their function and make it
 * safe; `SafeAlias` makes an existing one safe in place. Not meant to be subclassed outside this library.
 */
export abstract class SafeFunctionBase extends lambda.QualifiedFunctionBase implements lambda.IFunction {
  protected readonly canCreatePermissions = true;

  // Set once by `_makeSafe`, which every subclass calls at the end of its constructor: the function
  // has to exist before its safe part, and subclasses build it with `this` as its scope.
  private _function?: lambda.Function;
  private _live?: lambda.Alias;
  private _aliasName?: string;
  private _qualifier?: string;
  private _deployment?: SafeDeployment;

  constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /**
   * The unqualified function.
   *
   * Bind integrations to this object itself, never to this: through it they would invoke `$LATEST`.
   */
  public get function(): lambda.Function {
    return this.made(this._function);
  }

  /**
   * The unqualified function, as `lambda.QualifiedFunctionBase` requires.
   *
   * Prefer `function`; this member exists because the base class declares it.
   */
  public get lambda(): lambda.IFunction {
    return this.function;
  }

  /** The version published from the current code and configuration. */
  public get currentVersion(): lambda.Version {
    return this.function.currentVersion;
  }

  /** The alias every integration binds to. */
  public get live(): lambda.Alias {
    return this.made(this._live);
  }

  /** Name of the alias every integration binds to. */
  public get aliasName(): string {
    return this.made(this._aliasName);
  }

  /**
   * The version the alias points to.
   *
   * Same as `currentVersion` unless `pinnedVersion` or `weightedRouting` names another; present so
   * that APIs which recognize aliases by their shape (such as `lambda.FunctionUrl`) treat this
   * object as the alias it is.
   */
  public get version(): lambda.IVersion {
    return this.live.version;
  }

  /**
   * The CodeDeploy deployment that releases new versions through the alias.
   *
   * @default - none, unless the `deployment` prop is set
   */
  public get deployment(): SafeDeployment | undefined {
    return this._deployment;
  }

  /** The alias ARN (`…:function:name:live`). */
  public get functionArn(): string {
    return this.live.functionArn;
  }

  /**
   * The qualified name (`name:live`), which event source mappings and CodePipeline use.
   *
   * Where a bare name is wanted (a log group name, an output for people), use `function.functionName`.
   */
  public get functionName(): string {
    return this.live.functionName;
  }

  /** The function's architecture. */
  public get architecture(): lambda.Architecture {
    return this.function.architecture;
  }

  /** The principal the function runs as. */
  public get grantPrincipal(): iam.IPrincipal {
    return this.function.grantPrincipal;
  }

  /** The function's execution role. */
  public get role(): iam.IRole | undefined {
    return this.function.role;
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

  protected get qualifier(): string {
    return this.made(this._qualifier);
  }

  /**
   * Adds an alias next to the live one (dev, beta, prod, a branch), on the current version or a
   * pinned one. Aliases never replace each other: each one's ID is derived from its name.
   */
  public addStageAlias(aliasName: string, options: StageAliasOptions = {}): lambda.Alias {
    return addStageAlias(this.releaseSubject, aliasName, options);
  }

  /**
   * Adds an environment variable to the function.
   *
   * The change publishes a new version, and the alias moves to it.
   */
  public addEnvironment(key: string, value: string, options?: lambda.EnvironmentOptions): SafeFunctionBase {
    this.function.addEnvironment(key, value, options);
    return this;
  }

  /**
   * Adds layers to the function.
   *
   * The change publishes a new version when the feature flag
   * `@aws-cdk/aws-lambda:recognizeLayerVersion` is on (a warning says when it is off).
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

  /**
   * Builds the safe part around `fn`. Called once, at the end of every subclass's constructor.
   *
   * @param code the function's code when known (for the version-integrity warnings)
   * @param events event sources to bind to the alias (the `events` prop)
   * @internal
   */
  protected _makeSafe(fn: lambda.Function, options: SafeFunctionOptions, code?: lambda.Code, events?: lambda.IEventSource[]): void {
    this._function = fn;
    this._aliasName = options.aliasName ?? 'live';
    recordMadeSafe(fn, this);
    guardSafeFunction(this, fn, options.guard ?? true);
    this._live = createLiveAlias(this.releaseSubject, options.aliasDescription, options.provisionedConcurrentExecutions, options);
    this.node.defaultChild = this._live.node.defaultChild;
    VersionPruner.addTo(this, { function: fn, version: this.currentVersion, alias: this._live, options });
    watchRetentionChecks({ owner: this, function: fn, version: this.currentVersion, options }); // issue #17
    watchRuntimeManagement(this, fn); // issue #17 §3
    // Derived from the alias ARN, as lambda.Alias does, so whatever uses it depends on the alias.
    this._qualifier = Fn.select(7, Fn.split(':', this._live.functionArn));

    const { onSuccess, onFailure, maxEventAge, retryAttempts } = options;
    if (onSuccess || onFailure || maxEventAge || retryAttempts !== undefined) {
      this.configureAsyncInvoke({ onSuccess, onFailure, maxEventAge, retryAttempts });
    }
    this._deployment = configureRelease(this.releaseSubject, this._live, options);
    VersionPruner.watchRelease(this, this._deployment?.deploymentGroup);
    // The `events` prop of lambda.Function binds `$LATEST`; here each source binds the alias.
    for (const source of events ?? []) {
      this.addEventSource(source);
    }
    watchQualifiedNames(this, this._live);

    Aspects.of(this).add({
      visit: (node) => {
        if (node === this) {
          checkVersionIntegrity(this, fn, code);
        }
      },
    }, { priority: AspectPriority.READONLY });
  }

  private get releaseSubject(): ReleaseSubject {
    return { owner: this, fn: this.function, current: this.currentVersion, aliasName: this.aliasName };
  }

  private made<T>(value: T | undefined): T {
    if (value === undefined) {
      throw new Error(`${this.node.path}: the safe part is not built yet. `
        + 'A subclass of SafeFunctionBase must call _makeSafe at the end of its constructor; use SafeAlias to make a function safe.');
    }
    return value;
  }
}
