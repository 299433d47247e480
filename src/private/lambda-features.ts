import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/*
 * Readers of the Lambda features that depend on versions, over the function's *rendered* L1
 * properties. Reading the template (not the L2 props, nor CfnFunction's typed fields) works on any
 * aws-cdk-lib: a feature the installed version has no prop for still arrives through
 * `addPropertyOverride` or `addOverride`, and a newer version's L2 prop lands in the same place.
 */

const FUNCTION_TYPE = 'AWS::Lambda::Function';

/** The rendered `Properties` of a function (an L2 function or its CfnFunction), or undefined if `scope` is neither. */
export function renderedFunctionProperties(scope: IConstruct): Record<string, any> | undefined {
  const cfn = functionResourceOf(scope);
  if (!cfn) {
    return undefined;
  }
  try {
    const rendered = Stack.of(cfn).resolve((cfn as any)._toCloudFormation());
    const resource = Object.values(rendered?.Resources ?? {})[0] as any;
    return resource?.Properties ?? {};
  } catch {
    // Rendering failed (a token that cannot resolve yet): the props as given, plus raw overrides.
    return withRawOverrides(cfn);
  }
}

/**
 * Whether a function may render one of `properties` (template names, `DurableConfig`): its props hold
 * a value for one, or an escape hatch overrides `Properties`. `false` lets a reader skip rendering,
 * which costs the guard a rendering of every function of the app (about 0.13 ms each).
 */
export function mayRenderAnyOf(scope: IConstruct, properties: readonly string[]): boolean {
  const cfn = functionResourceOf(scope);
  if (!cfn) {
    return false;
  }
  const props = (cfn as any).cfnProperties;
  const overrides = (cfn as any).rawOverrides;
  if (typeof props !== 'object' || props === null || typeof overrides !== 'object' || overrides === null) {
    // Private shapes that changed: render to be sure.
    return true;
  }
  const overridden = overrides.Properties;
  return properties.some((name) => {
    const key = name.charAt(0).toLowerCase() + name.slice(1);
    return (props[key] !== undefined && props[key] !== null) || (overridden !== undefined && (typeof overridden !== 'object' || name in overridden));
  });
}

/** Durable functions (`DurableConfig`) cannot be invoked unqualified at all. */
export function isDurable(scope: IConstruct): boolean {
  const props = renderedFunctionProperties(scope);
  return props?.DurableConfig !== undefined && props.DurableConfig !== null;
}

/**
 * SnapStart takes effect only on published versions (`SnapStart.ApplyOn: PublishedVersions`).
 * An `ApplyOn` that is still an intrinsic (a parameter) answers false: it cannot be known here.
 */
export function hasSnapStart(scope: IConstruct): boolean {
  return renderedFunctionProperties(scope)?.SnapStart?.ApplyOn === 'PublishedVersions';
}

/**
 * The capacity provider (Lambda Managed Instances) of a function, as rendered
 * (`CapacityProviderConfig.LambdaManagedInstancesCapacityProviderConfig.CapacityProviderArn`, maybe an
 * intrinsic), or undefined. On such a function an unqualified invoke runs `$LATEST.PUBLISHED`.
 */
export function capacityProvider(scope: IConstruct): unknown {
  const config = renderedFunctionProperties(scope)?.CapacityProviderConfig;
  if (config === undefined || config === null) {
    return undefined;
  }
  return config.LambdaManagedInstancesCapacityProviderConfig?.CapacityProviderArn ?? config;
}

/** The tenant isolation mode (`TenancyConfig.TenantIsolationMode`, e.g. `PER_TENANT`), or undefined. */
export function tenancy(scope: IConstruct): string | undefined {
  const mode = renderedFunctionProperties(scope)?.TenancyConfig?.TenantIsolationMode;
  return typeof mode === 'string' ? mode : undefined;
}

/** The CfnFunction of `scope`: itself, or its default child (an L2 function). */
function functionResourceOf(scope: IConstruct): CfnResource | undefined {
  const candidates = [scope, scope.node.defaultChild];
  for (const c of candidates) {
    if (c && CfnResource.isCfnResource(c) && c.cfnResourceType === FUNCTION_TYPE) {
      return c;
    }
  }
  return undefined;
}

function withRawOverrides(cfn: CfnResource): Record<string, any> {
  const props: Record<string, any> = {};
  for (const [key, value] of Object.entries((cfn as any).cfnProperties ?? {})) {
    props[key.charAt(0).toUpperCase() + key.slice(1)] = value;
  }
  const overrides = (cfn as any).rawOverrides?.Properties ?? {};
  return { ...props, ...overrides };
}
