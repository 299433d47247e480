import { CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { renderPrunerProperties } from './pruner-properties';
import { VERSION_PRUNER_RESOURCE_TYPE } from './version-pruner-resource-type';
import { markInternalHandler } from '../../private/guard/guarded-function';
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
  if (o.retainVersions === undefined) {
    const stray = (['pruneMinAge', 'pruneMaxDeletions', 'pruneDryRun', 'pruneStrict', 'pruneDeploymentGroup'] as const)
      .filter((k) => o[k] !== undefined);
    if (stray.length > 0) {
      throw new Error(`${path}: ${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but retainVersions is not, so there is no pruner to configure. `
        + 'Fix: set retainVersions (for example 3), or remove the prune options.');
    }
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

  private constructor(scope: Construct, id: string, props: VersionPrunerProps) {
    super(scope, id);
    const o = props.options;
    this.provider = VersionPrunerProvider.of(this);
    this.provider.allowPruning(props.function);

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.function.functionArn,
      resourceType: VERSION_PRUNER_RESOURCE_TYPE,
      // The handler answers well within its own timeout; this only bounds the wait if it never could.
      serviceTimeout: Duration.minutes(10),
      properties: renderPrunerProperties({
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
    });
    // Only once the alias has moved is the previous version no longer live.
    this.resource.node.addDependency(props.alias);
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
    this.provider.allowDeploymentListing(group);
  }
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
  private readonly listStatement = new iam.PolicyStatement({
    actions: ['lambda:ListVersionsByFunction', 'lambda:ListAliases', 'lambda:ListProvisionedConcurrencyConfigs'],
  });
  // Qualified ARNs only (`arn:*`): the role can delete versions, never the function itself.
  private readonly deleteStatement = new iam.PolicyStatement({ actions: ['lambda:DeleteFunction'] });
  private deploymentsStatement?: iam.PolicyStatement;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.function = new VersionPrunerFunction(this, 'Handler', {
      description: 'cdk-safe-lambda: deletes the old versions of SafeFunctions with retainVersions after each deployment',
      timeout: Duration.minutes(5),
      memorySize: 256,
    });
    markInternalHandler(this.function);
    this.function.addToRolePolicy(this.listStatement);
    this.function.addToRolePolicy(this.deleteStatement);
    // ListEventSourceMappings has no resource type in IAM (Service Authorization Reference: no
    // resource-level permissions), so it can only be granted on `*`. It is read-only and returns
    // mapping configurations, not data.
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:ListEventSourceMappings'], resources: ['*'] }));
  }

  public allowPruning(fn: lambda.IFunction): void {
    this.listStatement.addResources(fn.functionArn);
    this.deleteStatement.addResources(`${fn.functionArn}:*`);
  }

  public allowDeploymentListing(group: codedeploy.ILambdaDeploymentGroup): void {
    if (!this.deploymentsStatement) {
      this.deploymentsStatement = new iam.PolicyStatement({ actions: ['codedeploy:ListDeployments'], resources: [group.deploymentGroupArn] });
      this.function.addToRolePolicy(this.deploymentsStatement);
    } else {
      this.deploymentsStatement.addResources(group.deploymentGroupArn);
    }
  }
}
