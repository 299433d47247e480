import { Annotations, Aspects, CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { PrunerPermissions } from './pruner-permissions';
import { renderPrunerProperties } from './pruner-properties';
import { markInternalHandler } from '../../private/bindings/guarded-function';
import { VERSION_PRUNER_RESOURCE_TYPE } from '../../private/version-pruner-resource-type';
import { RetentionWarnings } from '../retention-warnings';
import { SafeFunctionRetentionOptions } from '../safe-function-retention-options';
import { VersionPrunerFunction } from '../version-pruner-function';

/** Defaults of `SafeFunctionRetentionOptions`, documented there. */
export const DEFAULT_PRUNE_MIN_AGE = Duration.hours(1);
export const DEFAULT_PRUNE_MAX_DELETIONS = 50;

/** The CloudFormation type of the pruner resource; the `$LATEST` guard may exempt its ServiceToken by it. */

const PRUNER_ID = 'VersionPruner';
const PROVIDER_ID = 'CdkSafeLambdaVersionPruner';

/**
 * The removal policy for the SafeFunction's versions once retention is taken into account.
 *
 * With `retainVersions`, replaced versions must be retained (the pruner decides when they go);
 * a requested policy that would delete them is a mistake, reported with its fix.
 *
 * @param requested what the props ask for (`versionRemovalPolicy` or `currentVersionOptions.removalPolicy`)
 */
export function versionRemovalPolicy(
  scope: IConstruct,
  options: SafeFunctionRetentionOptions,
  requested: RemovalPolicy | undefined,
): RemovalPolicy | undefined {
  validateRetentionOptions(scope.node.path, options);
  if (options.retainVersions === undefined) {
    return requested;
  }
  if (requested !== undefined && requested !== RemovalPolicy.RETAIN && requested !== RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE) {
    throw new Error(`${scope.node.path}: retainVersions is ${options.retainVersions}, but the version removal policy is ${requested}, `
      + 'which deletes every replaced version before the pruner can keep it. '
      + 'Fix: remove versionRemovalPolicy (and currentVersionOptions.removalPolicy): retainVersions retains versions by itself.');
  }
  return requested ?? RemovalPolicy.RETAIN;
}

function validateRetentionOptions(path: string, o: SafeFunctionRetentionOptions): void {
  const wholeAtLeastOne = (name: string, value: number | undefined, fix: string) => {
    if (value !== undefined && !Token.isUnresolved(value) && (!Number.isInteger(value) || value < 1)) {
      throw new Error(`${path}: ${name} must be a whole number of at least 1, got ${value}. ${fix}`);
    }
  };
  wholeAtLeastOne('retainVersions', o.retainVersions,
    'Keep at least the current version, for example retainVersions: 3 (the current and two to roll back to).');
  wholeAtLeastOne('pruneMaxDeletions', o.pruneMaxDeletions, `Omit it for the default of ${DEFAULT_PRUNE_MAX_DELETIONS}.`);
  checkPruneMinAge(path, o.pruneMinAge);
  if (o.retainVersions === undefined) {
    const stray = (['pruneMinAge', 'pruneMaxDeletions', 'pruneDryRun', 'pruneStrict', 'pruneDeploymentGroup'] as const)
      .filter((k) => o[k] !== undefined);
    if (stray.length > 0) {
      throw new Error(`${path}: ${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but retainVersions is not, so there is no pruner to configure. `
        + 'Fix: set retainVersions (for example 3), or remove the prune options.');
    }
  }
}

/**
 * The pruner reads `pruneMinAge` as whole seconds: a fraction of a second, or a
 * deploy-time value in another unit (which aws-cdk-lib cannot convert) fails here with the path.
 */
function checkPruneMinAge(path: string, age: Duration | undefined): void {
  if (age === undefined) {
    return;
  }
  try {
    age.toSeconds();
  } catch {
    throw new Error(`${path}: pruneMinAge ${age.toString()} cannot be expressed in whole seconds, which the pruner compares ages in. `
      + 'Fix: give it in whole seconds or larger units (Duration.hours(1)); a deploy-time value must be Duration.seconds(param.valueAsNumber).');
  }
}

/** What the pruner of one SafeFunction works on. */
export interface VersionPrunerProps {
  readonly function: lambda.Function;
  /** The version this deployment publishes. */
  readonly version: lambda.IVersion;
  /** The alias integrations bind to; `alias.version` is where it points after the deployment. */
  readonly alias: lambda.Alias;
  readonly options: SafeFunctionRetentionOptions;
}

/**
 * The pruner of one SafeFunction: a custom resource served by the stack's single pruner function,
 * run after the alias has moved on every deployment that publishes a version.
 */
export class VersionPruner extends Construct {
  /**
   * Adds a pruner under `scope` when the options ask for one (`retainVersions` set).
   */
  public static addTo(scope: Construct, props: VersionPrunerProps): VersionPruner | undefined {
    return props.options.retainVersions === undefined ? undefined : new VersionPruner(scope, PRUNER_ID, props);
  }

  /** The pruner added under `scope`, if any (for code that creates a deployment group later). */
  public static find(scope: IConstruct): VersionPruner | undefined {
    const child = scope.node.tryFindChild(PRUNER_ID);
    return child instanceof VersionPruner ? child : undefined;
  }

  /**
   * Makes the pruner of `owner`, if it has one, delete nothing while a deployment of `group` is
   * unfinished: for the deployment group a SafeFunction's release creates or adopts.
   */
  public static watchRelease(owner: IConstruct, group: codedeploy.ILambdaDeploymentGroup | undefined): void {
    if (group) VersionPruner.find(owner)?.useDeploymentGroup(group);
  }

  /** The custom resource; its attributes `Deleted`, `WouldDelete`, `Kept` and `Errors` report each run. */
  public readonly resource: CustomResource;

  private deploymentGroup?: codedeploy.ILambdaDeploymentGroup;
  private readonly provider: VersionPrunerProvider;
  private readonly fn: lambda.Function;

  private constructor(scope: Construct, id: string, props: VersionPrunerProps) {
    super(scope, id);
    const o = props.options;
    this.provider = VersionPrunerProvider.of(this);
    this.fn = props.function;

    // Every alias of the function in this stack, found once the app is complete (stage aliases are
    // added after the SafeFunction, and users add their own).
    const aliases: lambda.CfnAlias[] = [];
    const stack = Stack.of(this);

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.function.functionArn,
      resourceType: VERSION_PRUNER_RESOURCE_TYPE,
      // The handler answers well within its own timeout; this only bounds the wait if it never could.
      serviceTimeout: Duration.minutes(10),
      properties: {
        ...renderPrunerProperties({
          functionName: props.function.functionName,
          aliasName: props.alias.aliasName,
          // Changes with every published version, so CloudFormation runs the pruner on every release;
          // the previous value comes back as OldResourceProperties and names the rollback target.
          currentVersion: props.version.version,
          liveVersion: props.alias.version.version,
          retainVersions: o.retainVersions!,
          minAgeSeconds: (o.pruneMinAge ?? DEFAULT_PRUNE_MIN_AGE).toSeconds(),
          maxDeletions: o.pruneMaxDeletions ?? DEFAULT_PRUNE_MAX_DELETIONS,
          dryRun: o.pruneDryRun ?? false,
          strict: o.pruneStrict ?? false,
          // Lazy, so that a deployment group added after construction (useDeploymentGroup) still counts.
          codeDeployApplication: Lazy.string({ produce: () => this.deploymentGroup?.application.applicationName }),
          codeDeployDeploymentGroup: Lazy.string({ produce: () => this.deploymentGroup?.deploymentGroupName }),
        }),
        // Where every alias points after this deployment; the next deployment reads it back from
        // OldResourceProperties as the versions a rollback would return those aliases to.
        Aliases: Lazy.any({ produce: () => aliases.map((a) => ({ Name: a.name, Version: a.functionVersion, Routed: routedVersions(stack, a) })) }),
      },
    });
    this.provider.allowPruning(props.function, this.resource);
    // Only once the alias has moved is the previous version no longer live.
    this.resource.node.addDependency(props.alias);
    const fnDefault = props.function.node.defaultChild;
    Aspects.of(stack).add({
      visit: (node) => {
        if (node instanceof lambda.CfnAlias && !aliases.includes(node) && Stack.of(node) === stack && isAliasOf(stack, node, props.function)) {
          aliases.push(node);
          // Every alias, not only the live one, has moved before the pruner runs: a stage alias
          // re-pinned in the same deployment no longer holds its previous version, which the
          // pruner then knows from these properties instead.
          this.resource.node.addDependency(node);
        }
        if (node === fnDefault && node instanceof lambda.CfnFunction) {
          warnManagedInstances(this, node, o.retainVersions!);
        }
      },
    });
    if (o.pruneDeploymentGroup) {
      this.useDeploymentGroup(o.pruneDeploymentGroup);
    }
  }

  /** Makes the pruner delete nothing while a deployment of `group` is unfinished. */
  public useDeploymentGroup(group: codedeploy.ILambdaDeploymentGroup): void {
    if (this.deploymentGroup === group) return;
    if (this.deploymentGroup) {
      throw new Error(`${this.node.path}: the pruner already watches the deployment group ${this.deploymentGroup.node.path} `
        + `and cannot also watch ${group.node.path}. Fix: omit pruneDeploymentGroup when the SafeFunction's \`deployment\` `
        + 'creates or adopts its deployment group: that group is watched already.');
    }
    this.deploymentGroup = group;
    this.provider.allowDeploymentListing(this.fn, group);
  }
}

/**
 * Whether `alias` is an alias of `fn`: its `FunctionName` is the function's name or ARN, or any value
 * built from them (`Function.fromFunctionArn(scope, id, fn.functionArn)` names it by
 * `Fn::Select [6, Fn::Split [':', <ARN>]]`), so a reference to the function's resource decides.
 */
function isAliasOf(stack: Stack, alias: lambda.CfnAlias, fn: lambda.Function): boolean {
  const target = JSON.stringify(stack.resolve(alias.functionName));
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const own = [fn.functionName, fn.functionArn, cfn.functionName]
    .filter((v) => v !== undefined)
    .map((v) => JSON.stringify(stack.resolve(v)));
  if (own.includes(target)) {
    return true;
  }
  const logicalId = JSON.stringify(stack.resolve(cfn.logicalId));
  return target.includes(`{"Ref":${logicalId}}`) || target.includes(`{"Fn::GetAtt":[${logicalId},"Arn"]}`);
}

/**
 * The versions an alias routes weighted traffic to, or a marker the handler reads as "unknown"
 * (a routing config built from an intrinsic), which makes it keep everything on the next run.
 */
function routedVersions(stack: Stack, alias: lambda.CfnAlias): unknown {
  const routing = stack.resolve(alias.routingConfig);
  if (routing === undefined) return [];
  const weights = routing?.additionalVersionWeights ?? routing?.AdditionalVersionWeights;
  if (!Array.isArray(weights)) return 'unknown';
  return weights.map((w: any) => w?.functionVersion ?? w?.FunctionVersion ?? 'unknown');
}

/**
 * Lambda Managed Instances: every published version keeps execution environments running (cost)
 * and keeps the capacity provider from being deleted. The prop is newer than the peer floor
 * (aws-cdk-lib 2.231.0), so it is read without assuming it exists, override included.
 */
function warnManagedInstances(scope: Construct, cfn: lambda.CfnFunction, retain: number): void {
  const typed = (cfn as unknown as { capacityProviderConfig?: unknown }).capacityProviderConfig;
  const overridden = (cfn as unknown as { rawOverrides?: { Properties?: Record<string, unknown> } }).rawOverrides?.Properties?.CapacityProviderConfig;
  if (typed === undefined && overridden === undefined) return;
  Annotations.of(scope).addWarningV2(RetentionWarnings.MANAGED_INSTANCES_RETAINED_VERSIONS,
    `${scope.node.path}: the function runs on Lambda Managed Instances (a capacity provider) and retainVersions is ${retain}. `
    + 'Every retained version keeps its own execution environments running on the capacity provider (and costs accordingly), '
    + 'and a capacity provider cannot be deleted while versions of its functions remain. '
    + 'Fix: keep few versions (retainVersions: 2 keeps the current one and one rollback target), and delete the function\'s '
    + 'old versions before deleting the capacity provider. Acknowledge this warning if that is intended.');
}

/**
 * The single pruner function of a stack, shared by every SafeFunction in it, and its permissions:
 * each SafeFunction adds its own function's ARN to them, so the role can touch exactly those functions.
 */
class VersionPrunerProvider extends Construct {
  public static of(scope: IConstruct): VersionPrunerProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID);
    return existing instanceof VersionPrunerProvider ? existing : new VersionPrunerProvider(stack, PROVIDER_ID);
  }

  public readonly function: lambda.Function;
  // Per function, in managed policies that never outgrow IAM's limits (issue #18 §7).
  private readonly permissions: PrunerPermissions;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.function = new VersionPrunerFunction(this, 'Handler', {
      description: 'cdk-safe-lambda: deletes the old versions of SafeFunctions with retainVersions after each deployment',
      timeout: Duration.minutes(5),
      memorySize: 256,
    });
    markInternalHandler(this.function);
    this.permissions = new PrunerPermissions(this, this.function.role!);
    // ListEventSourceMappings has no resource type in IAM (Service Authorization Reference: no
    // resource-level permissions), so it can only be granted on `*`. It is read-only and returns
    // mapping configurations, not data.
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:ListEventSourceMappings'], resources: ['*'] }));
  }

  /** Lets the handler prune `fn`; `dependent` (the function's pruner resource) runs only once it may. */
  public allowPruning(fn: lambda.IFunction, dependent: IConstruct): void {
    this.permissions.allowPruning(fn, dependent);
  }

  public allowDeploymentListing(fn: lambda.IFunction, group: codedeploy.ILambdaDeploymentGroup): void {
    this.permissions.allowDeploymentListing(fn, group);
  }
}
