import { CfnResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { functionOfAlias } from './latest-alias';
import { ALIAS_TYPE, FUNCTION_TYPE, VERSION_TYPE } from './occurrences';
import { mayRenderAnyOf, renderedFunctionProperties } from '../lambda-features';

/** A function the guard protects, as findings name it. */
export interface GuardedFunction {
  /** The function's `AWS::Lambda::Function` resource. */
  readonly resource: CfnResource;
  /** The SafeFunction's path when it is a SafeFunction's inner function, else the function's path. */
  readonly path: string;
  /** Whether it is a SafeFunction's inner function. */
  readonly isSafeFunction: boolean;
  /**
   * The Lambda feature that makes an unqualified binding worse than a deploy-time race, if any:
   * such functions are guarded under every `GuardedFunctions` setting (issue #12).
   */
  readonly feature?: VersionFeature;
}

function isDurable(properties: Record<string, any>): boolean {
  return properties.DurableConfig !== undefined && properties.DurableConfig !== null;
}

function hasSnapStart(properties: Record<string, any>): boolean {
  return properties.SnapStart?.ApplyOn === 'PublishedVersions';
}

function capacityProvider(properties: Record<string, any>): unknown {
  return properties.CapacityProviderConfig ?? undefined;
}

/** Lambda features that only work through versions (issue #12). */
export enum VersionFeature {
  /** `DurableConfig`: an unqualified invoke fails (`You cannot invoke a durable function using an unqualified ARN`). */
  DURABLE = 'durable',
  /** `SnapStart` on published versions: `$LATEST` never uses the snapshots. */
  SNAP_START = 'snap-start',
  /** `CapacityProviderConfig` (Managed Instances): an unqualified invoke runs `$LATEST.PUBLISHED`. */
  MANAGED_INSTANCES = 'managed-instances',
}

/** The properties `versionFeatureOfProperties` reads. */
const VERSION_FEATURE_PROPERTIES = ['DurableConfig', 'SnapStart', 'CapacityProviderConfig'];

/** The version feature of a function resource, read from its rendered properties (any aws-cdk-lib). */
export function versionFeatureOf(resource: CfnResource): VersionFeature | undefined {
  if (!mayRenderAnyOf(resource, VERSION_FEATURE_PROPERTIES)) {
    return undefined;
  }
  return versionFeatureOfProperties(renderedFunctionProperties(resource) ?? {});
}

/**
 * The version feature of a function's template `Properties`: the one reader for the construct tree and
 * for templates (`cdk-safe-lambda check`), so both judge the same functions the same way.
 */
export function versionFeatureOfProperties(properties: Record<string, any>): VersionFeature | undefined {
  if (isDurable(properties)) {
    return VersionFeature.DURABLE;
  }
  if (hasSnapStart(properties)) {
    return VersionFeature.SNAP_START;
  }
  return capacityProvider(properties) !== undefined ? VersionFeature.MANAGED_INSTANCES : undefined;
}

interface SafeOwner {
  readonly owner: IConstruct;
  /** `false` when the SafeFunction opted out of the automatic guard (`guard: false`). */
  readonly autoGuard: boolean;
}

/**
 * SafeFunction inner functions, filled by SafeFunction itself rather than found with
 * `instanceof SafeFunction`, so that the guard does not import SafeFunction (which imports the guard).
 */
const SAFE_INNER_FUNCTIONS = new WeakMap<IConstruct, SafeOwner>();

/**
 * This library's own handlers (the version pruner, the smoke-test hook): like aws-cdk-lib's, they are
 * unqualified by design and never guarded, even under `GuardedFunctions.ALL`.
 */
const INTERNAL_HANDLERS = new WeakSet<IConstruct>();

/** Marks `fn` as one of this library's own handlers. */
export function markInternalHandler(fn: lambda.Function): void {
  INTERNAL_HANDLERS.add(fn);
}

/** Called by SafeFunction: `inner` is the unqualified function of `owner`. */
export function markSafeFunction(owner: IConstruct, inner: lambda.Function, autoGuard: boolean): void {
  SAFE_INNER_FUNCTIONS.set(inner, { owner, autoGuard });
}

/**
 * Decides, once per function and mode, whether a referenced Lambda resource belongs to a guarded
 * function, and which one. References to an alias or a version lead to the function behind them.
 */
export class GuardedFunctionIndex {
  private readonly cache = new Map<CfnResource, GuardedFunction | undefined>();
  private readonly singletons = new Map<IConstruct, Set<IConstruct>>();

  /**
   * @param allFunctions whether every function is guarded (`GuardedFunctions.ALL`), not only SafeFunctions
   * @param automatic whether this is the guard SafeFunctions register themselves, which skips those
   *   that opted out with `guard: false`
   */
  constructor(private readonly allFunctions: boolean, private readonly automatic: boolean) {}

  /** The guarded function behind `target` (a function, alias or version resource), if any. */
  public of(target: CfnResource): GuardedFunction | undefined {
    if (!this.cache.has(target)) {
      this.cache.set(target, this.classify(target));
    }
    return this.cache.get(target);
  }

  /**
   * Whether `fn` is the function a `lambda.SingletonFunction` created (directly under its stack):
   * found from the singletons of the stack, not from the function's ID, which is the user's `uuid`.
   */
  private isSingletonFunction(fn: lambda.Function): boolean {
    const stack = fn.node.scope;
    if (!Stack.isStack(stack)) {
      return false;
    }
    let inner = this.singletons.get(stack);
    if (!inner) {
      const owners = stack.node.findAll().filter((c): c is lambda.SingletonFunction => c instanceof lambda.SingletonFunction);
      inner = new Set(owners.map((owner) => (owner as any).lambdaFunction as IConstruct | undefined).filter((f): f is IConstruct => f !== undefined));
      // Should aws-cdk-lib rename its private field, fall back to the ID it gives: `<purpose><uuid without dashes>`.
      if (owners.some((owner) => (owner as any).lambdaFunction === undefined)) {
        stack.node.children.filter((c) => /[0-9a-fA-F]{32}$/.test(c.node.id)).forEach((c) => inner!.add(c));
      }
      this.singletons.set(stack, inner);
    }
    return inner.has(fn);
  }

  private classify(target: CfnResource): GuardedFunction | undefined {
    switch (target.cfnResourceType) {
      case FUNCTION_TYPE:
        return this.classifyFunction(target);
      case ALIAS_TYPE:
      case VERSION_TYPE: {
        // lambda.Alias and lambda.Version both expose the function they belong to as `lambda`.
        const owner = target.node.scope as any;
        const fn = (owner instanceof lambda.Alias || owner instanceof lambda.Version) ? owner.lambda : undefined;
        const resource = fn?.node.defaultChild ?? (target.cfnResourceType === ALIAS_TYPE ? functionOfAlias(target) : undefined);
        return CfnResource.isCfnResource(resource) && resource.cfnResourceType === FUNCTION_TYPE ? this.of(resource) : undefined;
      }
      default:
        return undefined;
    }
  }

  private classifyFunction(resource: CfnResource): GuardedFunction | undefined {
    const guarded = this.classifyUnfeatured(resource, true);
    const feature = guarded ? versionFeatureOf(resource) : undefined;
    return guarded && feature ? { ...guarded, feature } : guarded;
  }

  /**
   * @param byFeature whether a durable or SnapStart function is guarded whatever `functions` says:
   *   bound unqualified, it cannot work at all (durable) or never uses its snapshots (SnapStart).
   */
  private classifyUnfeatured(resource: CfnResource, byFeature: boolean): GuardedFunction | undefined {
    const l2 = resource.node.scope;
    const isL2 = l2 instanceof lambda.Function && l2.node.defaultChild === resource;
    const safe = isL2 ? SAFE_INNER_FUNCTIONS.get(l2) : undefined;
    if (safe) {
      return this.automatic && !safe.autoGuard ? undefined : { resource, path: safe.owner.node.path, isSafeFunction: true };
    }
    if (!this.allFunctions) {
      const feature = byFeature ? versionFeatureOf(resource) : undefined;
      const mustGuard = feature === VersionFeature.DURABLE || feature === VersionFeature.SNAP_START;
      return mustGuard ? new GuardedFunctionIndex(true, this.automatic).classifyUnfeatured(resource, false) : undefined;
    }
    if (isL2) {
      return isInternalHandler(l2) || this.isSingletonFunction(l2) ? undefined : { resource, path: l2.node.path, isSafeFunction: false };
    }
    // aws-cdk-lib renders its own handlers (core CustomResourceProvider, S3 bucket notifications, log
    // retention) as plain CfnResources of this type; only a user's lambda.CfnFunction counts.
    const isUserL1 = resource instanceof lambda.CfnFunction && !isUnderProvider(resource);
    return isUserL1 ? { resource, path: resource.node.path, isSafeFunction: false } : undefined;
  }
}

/**
 * aws-cdk-lib's own L2 handlers (and this library's, marked), told apart by what marks them, not by
 * their names, so that handlers added by later aws-cdk-lib versions are covered too:
 * - the metadata aws-cdk-lib's generated handler classes put on their function
 *   (`aws:cdk:is-custom-resource-handler-*`: singleton handlers such as `EvaluateExpression`'s, and
 *   custom resource providers);
 * - the Provider framework's functions;
 * - a function an aws-cdk-lib construct created for itself (see `createdByCdk`), such as the ECS drain
 *   hook of an `AutoScalingGroup`, except `EdgeFunction`, which wraps the user's own code;
 * - the function a `lambda.SingletonFunction` creates directly under its stack with the ID
 *   `<purpose><uuid without dashes>` (AwsCustomResource, BucketDeployment and other singleton handlers).
 */
function isInternalHandler(fn: lambda.Function): boolean {
  return INTERNAL_HANDLERS.has(fn) || hasHandlerMetadata(fn) || isUnderProvider(fn) || createdByCdk(fn);
}

const HANDLER_METADATA = 'aws:cdk:is-custom-resource-handler-';

function hasHandlerMetadata(fn: lambda.Function): boolean {
  const nodes = [fn.node, fn.node.defaultChild?.node].filter((n) => n !== undefined);
  return nodes.some((n) => n!.metadata.some((m) => typeof m.type === 'string' && m.type.startsWith(HANDLER_METADATA)));
}

const JSII_RTTI = Symbol.for('jsii.rtti');
/** aws-cdk-lib constructs that hold a function whose code is the user's (not a handler of aws-cdk-lib). */
const USER_CODE_WRAPPERS = new Set(['aws-cdk-lib.aws_cloudfront.experimental.EdgeFunction']);

/**
 * Whether `fn` is aws-cdk-lib's own by what created it, not by the scope it sits in (issue #16 §4,
 * issue #18 §6). aws-cdk-lib creates its functions with its own construct as their scope (`this`): the
 * function's scope is an instance of a class aws-cdk-lib declares, or of an internal helper class of
 * aws-cdk-lib (no jsii type of its own, such as the ECS `InstanceDrainHook`) that such a construct
 * created for itself. A function whose scope is a plain construct (one the user made, or one aws-cdk-lib
 * hands the user, as CDK Pipelines' `options.scope` in a custom step), the user's own class or a stack
 * is the user's, wherever it sits.
 */
function createdByCdk(fn: IConstruct): boolean {
  const creator = creatorFromTrace(fn);
  if (creator !== undefined) {
    return creator === 'aws-cdk-lib' && !USER_CODE_WRAPPERS.has(ownFqn(fn.node.scope!) ?? '');
  }
  const scope = fn.node.scope;
  if (!scope || Stack.isStack(scope)) {
    return false;
  }
  const fqn = ownFqn(scope);
  if (fqn !== undefined) {
    return isCdkClass(fqn);
  }
  // A class without jsii type information: an internal helper of aws-cdk-lib, created by the aws-cdk-lib
  // construct it sits in, or the user's own class (inside a plain construct or a stack: the user's).
  const parent = scope.node.scope;
  const parentFqn = parent && !Stack.isStack(parent) ? ownFqn(parent) : undefined;
  return parentFqn !== undefined && isCdkClass(parentFqn);
}

/**
 * Who called the function's constructor, from the creation stack trace newer aws-cdk-lib releases record
 * on every resource by default (2.278: `...new Function2 in aws-cdk-lib...`, then the caller's frame):
 * the library frames run up to the constructor of the function's own class (`lambda.Function`, a
 * subclass such as `NodejsFunction`) when the user's code called it, up to another aws-cdk-lib frame
 * (a construct's constructor or method) when aws-cdk-lib did. `undefined` when no trace of that form
 * was recorded (older releases without `CDK_DEBUG`, traces disabled, jsii hosts): the scope decides.
 */
function creatorFromTrace(fn: IConstruct): 'user' | 'aws-cdk-lib' | undefined {
  let trace: any;
  try {
    trace = (fn.node.defaultChild as any)?.creationStack;
  } catch {
    return undefined;
  }
  const first = Array.isArray(trace) ? trace[0] : undefined;
  const group = typeof first === 'string' ? /^\s*\.\.\.([^,]+) in ([^,]+)\.\.\.\s*$/.exec(first) : null;
  if (!group || typeof trace[1] !== 'string' || /^\s*\.\.\./.test(trace[1])) {
    return undefined;
  }
  const called = /^new (\S+)$/.exec(group[1].trim())?.[1];
  return called !== undefined && classNames(fn).has(called) ? 'user' : 'aws-cdk-lib';
}

/** The names of the classes of `construct`, its own and every base class. */
function classNames(construct: IConstruct): Set<string> {
  const names = new Set<string>();
  for (let ctor = (construct as any).constructor; ctor && ctor !== Object; ctor = Object.getPrototypeOf(ctor)) {
    if (typeof ctor.name === 'string' && ctor.name) {
      names.add(ctor.name);
    }
  }
  return names;
}

function isCdkClass(fqn: string): boolean {
  return fqn.startsWith('aws-cdk-lib.') && !USER_CODE_WRAPPERS.has(fqn);
}

/**
 * The jsii name of the construct's own class; a user's subclass of an aws-cdk-lib class has none of its
 * own, a plain construct is `constructs.Construct`. Newer aws-cdk-lib releases export property-injectable
 * classes as bare subclasses of the same name (no static members of their own), 2.278 up to two levels
 * deep: such wrappers stand for the class they wrap.
 */
function ownFqn(construct: IConstruct): string | undefined {
  let ctor = (construct as any).constructor;
  while (ctor && !Object.prototype.hasOwnProperty.call(ctor, JSII_RTTI)) {
    const parent = Object.getPrototypeOf(ctor);
    const bare = Object.getOwnPropertyNames(ctor).every((n) => n === 'length' || n === 'name' || n === 'prototype');
    ctor = bare && parent?.name === ctor.name ? parent : undefined;
  }
  return ctor ? ctor[JSII_RTTI]?.fqn : undefined;
}

/** Read once (aws-cdk-lib's entry points run require() on every access): this runs for every resource. */
const ProviderClass = cr.Provider;

/** Whether `node` is part of a `custom_resources.Provider` (its framework functions, roles, policies). */
export function isUnderProvider(node: IConstruct): boolean {
  for (let scope = node.node.scope; scope; scope = scope.node.scope) {
    if (scope instanceof ProviderClass) {
      return true;
    }
  }
  return false;
}
