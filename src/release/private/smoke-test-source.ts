/**
 * Source of the built-in smoke-test hook (Node.js 22, AWS SDK v3 from the runtime).
 *
 * CodeDeploy calls it with `DeploymentId` and `LifecycleEventHookExecutionId`; it invokes the version
 * under test (`TARGET_VERSION_ARN`) with `PAYLOAD` and reports `Failed` when the invocation errors or
 * the function returns an error, `Succeeded` otherwise. Kept under Lambda's 4 KB inline limit.
 */
export const SMOKE_TEST_SOURCE = `
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');
const lambda = new LambdaClient({});
const codedeploy = new CodeDeployClient({});

exports.handler = async (event) => {
  const target = process.env.TARGET_VERSION_ARN;
  let status = 'Succeeded';
  try {
    const res = await lambda.send(new InvokeCommand({ FunctionName: target, Payload: Buffer.from(process.env.PAYLOAD) }));
    const body = res.Payload ? Buffer.from(res.Payload).toString('utf8') : '';
    if (res.FunctionError) {
      status = 'Failed';
      console.error(JSON.stringify({ target, functionError: res.FunctionError, body }));
    } else {
      console.log(JSON.stringify({ target, statusCode: res.StatusCode, body }));
    }
  } catch (err) {
    status = 'Failed';
    console.error(JSON.stringify({ target, error: String(err) }));
  }
  await codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status,
  }));
  return status;
};
`;
