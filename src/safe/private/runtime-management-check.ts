import { Annotations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { isWarningAcknowledged } from '../../private/acknowledgements';
import { renderedFunctionProperties } from '../../private/lambda-features';
import { SafeFunctionWarnings } from '../safe-function-warnings';

/**
 * Warns at synth when a safe function runs on a customer-managed runtime (`RuntimeConfig`, runtime
 * `custom`) under automatic runtime management (issue #17 §3).
 *
 * What AWS documents: moving the runtime alias "rolls the function forward on its next cold start,
 * without a function redeploy" (aws-cdk-lib 2.278 `aws-lambda/lib/mixins/function.d.ts`; its README,
 * "Customer-managed runtimes": "every function on that alias that uses the default AUTO runtime
 * management mode"), and runtime management is set "separately for each function version"
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtime-management-configure-settings.html). Neither says
 * whether a published version's runtime moves with the alias. If it does, `live` changes behaviour with
 * no deployment, no new version and no canary; so the pin is the fix until AWS says otherwise.
 *
 * Read from the rendered template, so the typed prop and the Mixin of aws-cdk-lib 2.278 and a
 * property override on the floor count alike; checked after aspects and mixins have run.
 */
export function watchRuntimeManagement(owner: IConstruct, fn: lambda.Function): void {
  owner.node.addValidation({ validate: () => { check(owner, fn); return []; } });
}

function check(owner: IConstruct, fn: lambda.Function): void {
  const id = SafeFunctionWarnings.CUSTOM_RUNTIME_AUTO_UPDATE;
  const props = renderedFunctionProperties(fn);
  const runtimeConfig = props?.RuntimeConfig;
  if (runtimeConfig === undefined || runtimeConfig === null) return;
  const mode = props?.RuntimeManagementConfig?.UpdateRuntimeOn;
  // AUTO is the default; a mode known only at deploy time is not judged.
  if (mode !== undefined && mode !== 'Auto') return;
  if (isWarningAcknowledged(owner, id)) return;
  const alias = typeof runtimeConfig.RuntimeAlias === 'string' ? runtimeConfig.RuntimeAlias : '(deploy-time)';
  const arn = typeof runtimeConfig.RuntimeArn === 'string' ? runtimeConfig.RuntimeArn : '(deploy-time)';
  Annotations.of(owner).addWarningV2(id,
    `${owner.node.path}: its customer-managed runtime follows the runtime alias under AUTO runtime management\n`
    + `  runtime: ${arn}, alias: ${alias}\n`
    + '  Moving the alias rolls "the function" forward on its next cold start, without a deploy (AWS docs); they do not say '
    + 'whether published versions stay put, so the live alias may change runtime with no new version and no canary.\n'
    + 'Fix: runtimeManagementMode: lambda.RuntimeManagementMode.manual(runtimeVersionArn) pins the runtime version '
    + '(move it through a release), or RuntimeManagementMode.FUNCTION_UPDATE takes the new runtime only when the function is deployed.');
}
