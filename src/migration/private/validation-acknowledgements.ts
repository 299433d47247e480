import * as core from 'aws-cdk-lib';
import { CfnResource } from 'aws-cdk-lib';

/**
 * Warnings of aws-cdk-lib's own template validation that a rewrite to an alias makes, though the
 * template is right: each contradicts what the migration did, so the migration acknowledges it on the
 * resource it rewrote, with the reason (issue #16 §6).
 */
const CONTRADICTED: Record<string, { readonly property: string; readonly id: string; readonly reason: string }> = {
  // aws-cdk-lib 2.278's CloudFormation validation (W3694) expects a function ARN as the endpoint of a
  // `lambda` subscription. SNS delivers to the version or alias a qualified ARN names (as aws-cdk-lib's
  // own LambdaSubscription of a lambda.Alias renders it).
  'AWS::SNS::Subscription': {
    property: 'Properties.Endpoint',
    id: 'CloudFormation-Validate::W3694',
    reason: 'MakeFunctionsSafe bound the subscription to the function\'s alias: SNS invokes the alias a qualified ARN names',
  },
};

/** Acknowledges the validation warnings the rewrite of `propertyPath` of `resource` contradicts, where aws-cdk-lib has them. */
export function acknowledgeContradictedValidations(resource: CfnResource, propertyPath: string): void {
  const contradicted = CONTRADICTED[resource.cfnResourceType];
  // `Validations.acknowledge` exists from aws-cdk-lib 2.252; the validation that warns, from later still.
  const validations = (core as any).Validations;
  if (!contradicted || contradicted.property !== propertyPath || typeof validations?.of !== 'function') {
    return;
  }
  validations.of(resource).acknowledge({ id: contradicted.id, reason: contradicted.reason });
}
