import { CfnParameter, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { mayRenderAnyOf } from '../../private/lambda-features';
import { resolveRecordingReferences } from '../../private/references';

/**
 * Which capacity provider (Lambda Managed Instances) a function runs on, as far as synthesis can
 * tell: functions with the same `key` share one provider, and with it its cap of 100 versions.
 */
export interface CapacityProviderIdentity {
  /** Equal for functions that certainly name the same provider. */
  readonly key: string;
  /** How to name the provider to a person (a construct path, an ARN, a parameter). */
  readonly display: string;
  /**
   * Known only at deploy time (a parameter, an import, an expression): functions that name the same
   * provider otherwise are not counted together.
   */
  readonly deployTime: boolean;
}

/**
 * The capacity provider of `fn`, or undefined when it runs on none. Read from the rendered template
 * (`CapacityProviderConfig.LambdaManagedInstancesCapacityProviderConfig.CapacityProviderArn`), so the
 * typed prop (aws-cdk-lib ≥ 2.231) and a property override on the floor count alike.
 *
 * A reference to a resource in the app (`CfnCapacityProvider`, through any stack) is that resource,
 * whichever attribute names it; a literal ARN or name is the provider in that account and Region; a
 * parameter is itself; any other deploy-time value (an import, a join) groups with identical values.
 */
export function capacityProviderIdentity(fn: lambda.Function): CapacityProviderIdentity | undefined {
  // Most functions run on no provider: skip rendering them.
  if (!mayRenderAnyOf(fn, ['CapacityProviderConfig'])) return undefined;
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const stack = Stack.of(cfn);
  const { resolved, references } = resolveRecordingReferences(cfn, (cfn as any)._toCloudFormation(), () => true);
  const config = (Object.values(resolved?.Resources ?? {})[0] as any)?.Properties?.CapacityProviderConfig;
  if (config === undefined || config === null) return undefined;
  const arn = config?.LambdaManagedInstancesCapacityProviderConfig?.CapacityProviderArn;

  const exact = typeof arn === 'string' ? references.find((r) => r.sentinel === arn) : undefined;
  if (exact) {
    const target = exact.target;
    if (target instanceof CfnParameter) {
      return { key: `parameter:${target.node.path}`, display: `the CfnParameter ${target.node.path}`, deployTime: true };
    }
    return { key: `resource:${target.node.path}`, display: target.node.path, deployTime: false };
  }
  if (typeof arn === 'string' && !references.some((r) => arn.includes(r.sentinel))) {
    return literalIdentity(stack, arn);
  }
  // An import, a join with pseudo parameters, a condition...: identical expressions only.
  let text = JSON.stringify(arn ?? config);
  for (const r of references) text = text.split(r.sentinel).join(`<${r.target.node.path}.${r.attribute}>`);
  return { key: `expression:${text}`, display: `the deploy-time value ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`, deployTime: true };
}

/** `arn:<partition>:lambda:<region>:<account>:capacity-provider:<name>`, or a bare name in the stack's account and Region. */
function literalIdentity(stack: Stack, value: string): CapacityProviderIdentity {
  const arn = /^arn:[^:]+:lambda:([^:]*):([^:]*):capacity-provider[:/](.+)$/.exec(value);
  if (arn) {
    return { key: `provider:${arn[2]}/${arn[1]}/${arn[3]}`, display: value, deployTime: false };
  }
  const account = Token.isUnresolved(stack.account) ? '*' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '*' : stack.region;
  return { key: `provider:${account}/${region}/${value}`, display: value, deployTime: false };
}
