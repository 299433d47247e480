import { VERSION_PRUNER_RESOURCE_TYPE } from '../../retention/private/version-pruner-resource-type';

/*
 * The principle (README, "How the guard decides"): a binding is a value some service will invoke, the
 * function's ARN or name in a property whose role is to say what to invoke. A function name or ARN
 * that is only data (a label, a description, an expression, a filter that selects what to observe, a
 * value handed to a custom resource that runs once the function's update has completed) is not.
 * Everything here is generic: by the role of the property, on any resource type.
 */

/**
 * Resource types whose references never invoke (integration-matrix §6): the function's own plumbing,
 * observation (logs, dashboards, trails), and cross-stack/cross-region plumbing.
 */
const NON_BINDING_TYPES = new Set([
  'AWS::Lambda::Version', // the function's own versions
  'AWS::Logs::LogGroup', // '/aws/lambda/<name>'
  'AWS::CloudWatch::Dashboard', // metric dimensions in the dashboard body
  'AWS::CloudTrail::Trail', // data event selectors log invocations, they do not make any
  'AWS::SSM::Parameter', // cross-stack/cross-region plumbing, EdgeFunction ARNs
  'AWS::ApplicationAutoScaling::ScalableTarget', // 'function:<name>:<alias>' resource IDs
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::CDK::Metadata',
  // aws-cdk-lib's cross-region plumbing and log retention: their keys are export names and log group names.
  'Custom::LogRetention',
  'Custom::CrossRegionExportReader',
  'Custom::CrossRegionExportWriter',
  'Custom::CrossRegionStringParameterReader',
  // cdk-safe-lambda's own version pruner names a function to list and delete its old versions.
  VERSION_PRUNER_RESOURCE_TYPE,
]);

/**
 * Custom resources: CloudFormation sends their properties to the handler only once every resource
 * they reference has finished updating (a reference is a dependency), so whatever the handler itself
 * does with a function's ARN or name (`AwsCustomResource` calling `lambda:Invoke`, integ-tests
 * assertions, a `BucketDeployment` substitution marker) happens after the function's update: the same
 * case as a `ServiceToken`, not a binding. A value under a key that names an invocation target
 * (`LambdaFunctionArn` of S3 bucket notifications) is handed to a service that invokes it later: a binding.
 */
const CUSTOM_RESOURCE = /^(Custom::|AWS::CloudFormation::CustomResource$)/;
/** The parameters of the SDK call a custom resource's handler makes itself (integ-tests assertions). */
const SDK_CALL_PARAMETERS = /^Properties\.(parameters|Parameters)(\.|\[|$)/;
const INVOCATION_TARGET_KEY = /(Function|Lambda)[A-Za-z]*(Arn|Name|Uri)$|^(Target|Endpoint|Destination)(Arn)?$/;

/** Template sections and properties of any resource that never invoke. */
const NON_BINDING_ANYWHERE = new RegExp([
  '^(Metadata|DependsOn|Condition)(\\.|\\[|$)',
  '^Properties\\.ServiceToken$',
  // Metric dimensions (alarms, anomaly detectors, metric streams...): they select data to observe.
  '(^|\\.)Dimensions(\\.|\\[|$)',
  // Event patterns (rules, archives, pipes filters): they match events, e.g. '<arn>:$LATEST' in a destination's event.
  '(^|\\.)(EventPattern|FilterCriteria|Scope|Tags)(\\.|\\[|$)',
].join('|'));

/**
 * Maps whose keys the user chooses: a key ending in `Name` there says nothing about the value's role
 * (`Environment.Variables.TARGET_NAME` is an SDK target, a state machine substitution can be invoked).
 */
const USER_KEYED_MAP = /(^|\.)(Variables|DefinitionSubstitutions|Parameters|Substitutions)\./;

/**
 * Free-text properties (names, descriptions, expressions, labels, patterns): a function name inside
 * them is text, never an invocation target. Properties that say what to invoke are excluded by name.
 */
const FREE_TEXT_KEY = /(Name|Description|Expression|Label|Comment|Title|Pattern|Message)$/;
const INVOKES_KEY = /(Function|Lambda|Target|Task|Handler|Hook|Destination)[A-Za-z]*Name$/;

/** Nested-stack parameters that aws-cdk-lib creates for a cross-stack reference: the consumer inside is checked. */
const CDK_REFERENCE_PARAMETER = /^Properties\.Parameters\.referenceto/;

/** Whether no reference in a resource of this type can be an invocation binding. */
export function isNonBindingType(type: string): boolean {
  return NON_BINDING_TYPES.has(type);
}

/** Whether a reference at `path` in a resource of type `type` is not an invocation binding. */
export function isNonBinding(type: string, path: string, before: string): boolean {
  if (isNonBindingType(type) || NON_BINDING_ANYWHERE.test(path)) {
    return true;
  }
  // The alias's own FunctionName/FunctionVersion; its UpdatePolicy CodeDeploy hooks do invoke.
  if (type === 'AWS::Lambda::Alias' && path.startsWith('Properties.')) {
    return true;
  }
  if (CUSTOM_RESOURCE.test(type) && (SDK_CALL_PARAMETERS.test(path) || !INVOCATION_TARGET_KEY.test(lastKey(path)))) {
    return true;
  }
  if (type === 'AWS::CloudFormation::Stack' && CDK_REFERENCE_PARAMETER.test(path)) {
    return true;
  }
  if (isFreeText(path)) {
    return true;
  }
  // A log group name ('/aws/lambda/<name>'), e.g. in a subscription filter or a metric filter.
  return /\/aws\/lambda(-insights)?\/$/.test(before);
}

function isFreeText(path: string): boolean {
  if (USER_KEYED_MAP.test(path)) {
    return false;
  }
  const key = lastKey(path);
  return FREE_TEXT_KEY.test(key) && !INVOKES_KEY.test(key);
}

/** The last property name of a path: `LambdaFunctionArn` for `Properties.Configs[0].LambdaFunctionArn`. */
function lastKey(path: string): string {
  return /([A-Za-z0-9_]+)(\[\d+\])*$/.exec(path)?.[1] ?? '';
}
