/**
 * CloudFormation type of the pruner custom resource. Its own file so that the guard can list it as
 * not an invocation without importing the pruner.
 */
export const VERSION_PRUNER_RESOURCE_TYPE = 'Custom::SafeLambdaVersionPruner';
