import { VERSION_PRUNER_RESOURCE_TYPE } from '../../retention/private/version-pruner-resource-type';

/**
 * References to a function that do not invoke it (integration-matrix §6), by resource type: the
 * whole resource, or the paths matched by the pattern.
 */
const NON_BINDING_TYPES = new Set([
  'AWS::Lambda::Version', // the function's own versions
  'AWS::Logs::LogGroup', // '/aws/lambda/<name>'
  'Custom::LogRetention',
  'AWS::CloudWatch::Dashboard', // metric dimensions in the dashboard body
  'AWS::CloudTrail::Trail', // data event selectors log invocations, they do not make any
  'AWS::SSM::Parameter', // cross-stack/cross-region plumbing, EdgeFunction ARNs
  'AWS::CloudFormation::Stack', // nested stack parameters (cross-stack plumbing)
  'Custom::CrossRegionExportReader',
  'Custom::CrossRegionExportWriter',
  'Custom::CrossRegionStringParameterReader',
  'AWS::ApplicationAutoScaling::ScalableTarget', // 'function:<name>:<alias>' resource IDs
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::CDK::Metadata',
  // cdk-safe-lambda's own version pruner names a function to list and delete its old versions.
  VERSION_PRUNER_RESOURCE_TYPE,
]);

const NON_BINDING_PATHS: Record<string, RegExp> = {
  // The alias's own FunctionName/FunctionVersion; its UpdatePolicy CodeDeploy hooks do invoke.
  'AWS::Lambda::Alias': /^Properties\./,
  'AWS::CloudWatch::Alarm': /Dimensions/,
  // A filter on events (e.g. responseOnly destinations match '<arn>:$LATEST'), not a target.
  'AWS::Events::Rule': /^Properties\.EventPattern/,
};

/**
 * Paths of any resource that never invoke: template metadata, and a custom resource's `ServiceToken`
 * (CloudFormation invokes it only once the function's own update has completed).
 */
const NON_BINDING_ANYWHERE = /^(Metadata|DependsOn|Condition)(\.|\[|$)|^Properties\.ServiceToken$/;

/** Whether no reference in a resource of this type can be an invocation binding. */
export function isNonBindingType(type: string): boolean {
  return NON_BINDING_TYPES.has(type);
}

/** Whether a reference at `path` in a resource of type `type` is not an invocation binding. */
export function isNonBinding(type: string, path: string, before: string): boolean {
  if (NON_BINDING_TYPES.has(type) || NON_BINDING_ANYWHERE.test(path) || NON_BINDING_PATHS[type]?.test(path)) {
    return true;
  }
  // A log group name ('/aws/lambda/<name>'), e.g. in a subscription filter or a metric filter.
  return /\/aws\/lambda(-insights)?\/$/.test(before);
}
