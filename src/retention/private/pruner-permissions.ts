import { AspectPriority, Aspects, Aws } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { capacityProvider } from '../../private/lambda-features';

/**
 * IAM's limit on one managed policy, in characters without whitespace. The pruner role's inline
 * policies share 10,240 characters for the whole role, so the per-function statements go to managed
 * policies instead.
 */
export const MANAGED_POLICY_MAX_CHARS = 6_144;

/**
 * The longest a deployed function ARN can be in a policy, `:*` suffix, quotes and comma included:
 * `arn:aws-iso-b:lambda:<region, ≤ 20>:<account, 12>:function:<name, ≤ 64>:*`. Function names are
 * often only known at deploy time (CloudFormation generates them), so the worst case is counted.
 */
export const FUNCTION_ARN_MAX_CHARS = 140;

/** The same for `arn:<partition>:codedeploy:<region>:<account>:deploymentgroup:<application ≤ 100>/<group ≤ 100>`. */
export const DEPLOYMENT_GROUP_ARN_MAX_CHARS = 280;

/** A policy's own text beside its resources: the version, three statements, their actions. */
const POLICY_OVERHEAD_CHARS = 600;

/** The pruner's permissions on one function: what the policy holding them must fit. */
interface PrunedFunction {
  readonly fn: lambda.IFunction;
  /** Constructs that must not run before the function's permissions exist (its pruner resource). */
  readonly dependents: IConstruct[];
  readonly deploymentGroups: codedeploy.ILambdaDeploymentGroup[];
}

/**
 * The pruner role's permissions on the functions it prunes, split over managed policies of at most
 * 6,144 characters each (issue #18 §7).
 *
 * Why: before, every SafeFunction added its ARNs to three shared statements of the role's inline
 * policy. A statement cannot be split, so once one statement outgrew a managed policy the stack
 * failed to deploy: measured on aws-cdk-lib 2.232.2 with CloudFormation-generated names (64
 * characters), 30 pruned functions made a 7,020-character `OverflowPolicy`, over IAM's 6,144.
 * Here each policy holds whole functions, packed in construction order by their worst-case size, so
 * any number of functions a stack can hold (its 500 resources allow about 99 pruned SafeFunctions:
 * 5 managed policies) fits, and each pruner resource waits for the policy that lets it act.
 */
export class PrunerPermissions {
  private readonly functions: PrunedFunction[] = [];
  private readonly policies: iam.ManagedPolicy[] = [];

  constructor(private readonly scope: Construct, private readonly role: iam.IRole) {
    // Packed once every function and deployment group is known; before the read-only aspects.
    Aspects.of(scope).add({
      visit: (node) => {
        if (node === scope) this.pack();
      },
    }, { priority: AspectPriority.MUTATING });
  }

  /** Lets the pruner list and delete the versions of `fn`; `dependent` (its pruner resource) waits for that permission. */
  public allowPruning(fn: lambda.IFunction, dependent: IConstruct): void {
    this.functions.push({ fn, dependents: [dependent], deploymentGroups: [] });
  }

  /** Lets the pruner of `fn` see whether a deployment of `group` is unfinished. */
  public allowDeploymentListing(fn: lambda.IFunction, group: codedeploy.ILambdaDeploymentGroup): void {
    const entry = this.functions.find((f) => f.fn === fn);
    if (entry && !entry.deploymentGroups.includes(group)) entry.deploymentGroups.push(group);
  }

  /** The managed policies, once packed (at synth). */
  public get managedPolicies(): readonly iam.ManagedPolicy[] {
    return this.policies;
  }

  private pack(): void {
    if (this.policies.length > 0) return;
    const capacity = MANAGED_POLICY_MAX_CHARS - POLICY_OVERHEAD_CHARS;
    let batch: PrunedFunction[] = [];
    let size = 0;
    for (const f of this.functions) {
      const own = 2 * FUNCTION_ARN_MAX_CHARS + f.deploymentGroups.length * DEPLOYMENT_GROUP_ARN_MAX_CHARS;
      if (batch.length > 0 && size + own > capacity) {
        this.addPolicy(batch);
        batch = [];
        size = 0;
      }
      batch.push(f);
      size += own;
    }
    if (batch.length > 0) this.addPolicy(batch);
    if (this.functions.some((f) => capacityProvider(f.fn) !== undefined)) {
      // Lambda Managed Instances: the pruner counts every version on the function's capacity
      // provider, whose cap of 100 all its functions share (issue #17 §1). Read-only; the provider is
      // read from the function's configuration at run time, so any provider of this account and Region.
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['lambda:ListFunctionVersionsByCapacityProvider'],
        resources: [`arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:capacity-provider:*`],
      }));
    }
  }

  private addPolicy(batch: PrunedFunction[]): void {
    const list = new iam.PolicyStatement({
      actions: ['lambda:ListVersionsByFunction', 'lambda:ListAliases', 'lambda:ListProvisionedConcurrencyConfigs', 'lambda:ListDurableExecutionsByFunction'],
      resources: batch.map((f) => f.fn.functionArn),
    });
    // Qualified ARNs only (`arn:*`): the role can delete versions, never the function itself; a
    // version with a running durable execution is kept (listed per version).
    const versions = new iam.PolicyStatement({
      actions: ['lambda:DeleteFunction', 'lambda:ListDurableExecutionsByFunction'],
      resources: batch.map((f) => `${f.fn.functionArn}:*`),
    });
    const statements = [list, versions];
    const groups = batch.flatMap((f) => f.deploymentGroups);
    if (groups.length > 0) {
      statements.push(new iam.PolicyStatement({ actions: ['codedeploy:ListDeployments'], resources: groups.map((g) => g.deploymentGroupArn) }));
    }
    const policy = new iam.ManagedPolicy(this.scope, `PrunePolicy${this.policies.length + 1}`, {
      description: `cdk-safe-lambda: lets the version pruner list and delete the versions of ${batch.length} function(s)`,
      roles: [this.role],
      statements,
    });
    this.policies.push(policy);
    for (const f of batch) {
      for (const d of f.dependents) d.node.addDependency(policy);
    }
  }
}
