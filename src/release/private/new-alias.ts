import { Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * `new lambda.Alias(...)`, except that deploy-time values (a `CfnParameter`, a `Lazy`, an
 * imported value) of `provisionedConcurrentExecutions` and of the weights reach the template.
 *
 * aws-cdk-lib compares them with their limits at construction, where a number token is a huge
 * negative number, and throws without a construct path; the caller has already validated the
 * literal values, so only the tokens are set on the L1 directly.
 */
export function newAlias(scope: Construct, id: string, props: lambda.AliasProps): lambda.Alias {
  const { provisionedConcurrentExecutions: provisioned, additionalVersions } = props;
  const deployTimeProvisioned = provisioned !== undefined && Token.isUnresolved(provisioned);
  const deployTimeWeights = (additionalVersions ?? []).some((v) => Token.isUnresolved(v.weight));
  const alias = new lambda.Alias(scope, id, {
    ...props,
    provisionedConcurrentExecutions: deployTimeProvisioned ? undefined : provisioned,
    additionalVersions: deployTimeWeights ? undefined : additionalVersions,
  });
  const cfn = alias.node.defaultChild as lambda.CfnAlias;
  if (deployTimeProvisioned) {
    cfn.provisionedConcurrencyConfig = { provisionedConcurrentExecutions: provisioned };
  }
  if (deployTimeWeights) {
    cfn.routingConfig = {
      additionalVersionWeights: additionalVersions!.map((v) => ({ functionVersion: v.version.version, functionWeight: v.weight })),
    };
  }
  return alias;
}
