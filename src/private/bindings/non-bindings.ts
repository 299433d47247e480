import { VERSION_PRUNER_RESOURCE_TYPE } from '../version-pruner-resource-type';

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
  // Observation selectors (issue #18 §6): they name a function to watch it, never to invoke it.
  'AWS::CloudWatch::InsightRule', // Contributor Insights `RuleBody`: log groups and keys to rank
  'AWS::Backup::BackupSelection', // `Resources`: what to back up
  // aws-cdk-lib's cross-region plumbing and log retention: their keys are export names and log group names.
  'Custom::LogRetention',
  'Custom::CrossRegionExportReader',
  'Custom::CrossRegionExportWriter',
  'Custom::CrossRegionStringParameterReader',
  // cdk-safe-lambda's own version pruner names a function to list and delete its old versions.
  VERSION_PRUNER_RESOURCE_TYPE,
]);

/**
 * Services that only observe, select or audit resources, whatever their properties are called: X-Ray
 * (sampling rules' `ResourceARN`, groups' filter expressions), Resource Groups (`ResourceQuery`), fault
 * injection (`Targets` are what to disturb), findings and insights services. None of them invokes
 * what it names (issue #18 §6).
 */
const OBSERVING_SERVICES = /^AWS::(XRay|ResourceGroups|FIS|SecurityHub|GuardDuty|ApplicationSignals|ApplicationInsights|DevOpsGuru|ResilienceHub|ResilienceHubV2|InternetMonitor|Oam|RUM|Evidently)::/;

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
  return NON_BINDING_TYPES.has(type) || OBSERVING_SERVICES.test(type);
}

/** More of the reference than its path, for the judgements that need it. */
export interface ReferenceContext {
  /** Literal text right after the reference. */
  readonly after?: string;
  /** The resource's entry (a custom resource's separate `service`/`api` properties). */
  readonly entry?: any;
}

/** Whether a reference at `path` in a resource of type `type` is not an invocation binding. */
export function isNonBinding(type: string, path: string, before: string, context: ReferenceContext = {}): boolean {
  if (isNonBindingType(type) || NON_BINDING_ANYWHERE.test(path)) {
    return true;
  }
  // The alias's own FunctionName/FunctionVersion; its UpdatePolicy CodeDeploy hooks do invoke.
  if (type === 'AWS::Lambda::Alias' && path.startsWith('Properties.')) {
    return true;
  }
  if (CUSTOM_RESOURCE.test(type)) {
    // A call that creates a lasting invoker hands the function to a service that invokes it later (issue #18 §6).
    if (isLastingInvokerCall(path, before, context)) {
      return false;
    }
    if (SDK_CALL_PARAMETERS.test(path) || !INVOCATION_TARGET_KEY.test(lastKey(path))) {
      return true;
    }
  }
  if (type === 'AWS::CloudFormation::Stack' && CDK_REFERENCE_PARAMETER.test(path)) {
    return true;
  }
  if (isFreeText(path, before)) {
    return true;
  }
  // A log group name ('/aws/lambda/<name>'), e.g. in a subscription filter or a metric filter.
  return /\/aws\/lambda(-insights)?\/$/.test(before);
}

/**
 * Objects whose keys name the triggers a service invokes (`LambdaConfig` of a Cognito user pool,
 * `Triggers` of a repository...): a value there is a trigger whatever its key ends in (`CustomMessage`).
 */
const TRIGGER_CONTAINER = /(^|\.)[A-Za-z]*(Lambda|Trigger|Hook)[A-Za-z]*(\[\d+\])*\./;

/**
 * Free text is a name embedded in text, or a name property that holds one; decided by the key's role,
 * not its suffix alone (issue #16 §4): a whole value inside an object of triggers is a trigger.
 */
function isFreeText(path: string, before: string): boolean {
  if (USER_KEYED_MAP.test(path)) {
    return false;
  }
  const key = lastKey(path);
  if (!FREE_TEXT_KEY.test(key) || INVOKES_KEY.test(key)) {
    return false;
  }
  return !(before === '' && TRIGGER_CONTAINER.test(path.replace(/^Properties\./, '.')));
}

/**
 * SDK calls that configure a service to invoke a function later (a mapping, a subscription, a target,
 * a permission, a URL, a destination, a trigger): made by a custom resource (`AwsCustomResource`,
 * integ-tests' `awsApiCall`), they make a lasting binding, unlike a one-off `invoke` at deployment. A
 * call that acts on the function itself (`updateFunctionCode`, `publishVersion`, `tagResource`...) or
 * reads something (`get*`, `list*`, `describe*`) does not.
 */
const LASTING_LAMBDA_CALLS = /^(createEventSourceMapping|updateEventSourceMapping|addPermission|createFunctionUrlConfig|updateFunctionUrlConfig|putFunctionEventInvokeConfig|updateFunctionEventInvokeConfig)$/i;
const LASTING_CALL_VERB = /^(create|put|update|add|subscribe|set|register|associate|attach|enable|modify|replace)/i;

function isLastingInvokerCall(path: string, before: string, context: ReferenceContext): boolean {
  // integ-tests `awsApiCall`: `service`, `api` and `parameters` are properties of their own.
  if (SDK_CALL_PARAMETERS.test(path)) {
    const entry = context.entry?.Properties ?? {};
    return typeof entry.service === 'string' && typeof entry.api === 'string' && isLastingCall(entry.service, entry.api);
  }
  // `AwsCustomResource`: each call (`Create`, `Update`, `Delete`) is one JSON text.
  const call = parseCall(before, context.after);
  return call !== undefined && call.inParameters && isLastingCall(call.service, call.action);
}

function isLastingCall(service: string, action: string): boolean {
  const name = action.replace(/Command$/, '');
  if (/^lambda$/i.test(service)) {
    return LASTING_LAMBDA_CALLS.test(name);
  }
  return LASTING_CALL_VERB.test(name);
}

/** Stands for the reference in the call text (sentinels and placeholders use `@@`, never `##`). */
const MARK = '##fn##';

/** The service and action of the JSON call text the reference is in, and whether it sits in its `parameters`. */
function parseCall(before: string, after: string | undefined): { service: string; action: string; inParameters: boolean } | undefined {
  if (after === undefined || !before.trimStart().startsWith('{')) {
    return undefined;
  }
  let call: any;
  try {
    call = JSON.parse(`${before}${MARK}${after}`);
  } catch {
    return undefined;
  }
  if (typeof call?.service !== 'string' || typeof call?.action !== 'string') {
    return undefined;
  }
  return { service: call.service, action: call.action, inParameters: JSON.stringify(call.parameters ?? null).includes(MARK) };
}

/** The last property name of a path: `LambdaFunctionArn` for `Properties.Configs[0].LambdaFunctionArn`. */
function lastKey(path: string): string {
  return /([A-Za-z0-9_]+)(\[\d+\])*$/.exec(path)?.[1] ?? '';
}
