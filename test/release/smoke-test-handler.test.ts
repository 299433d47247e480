import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { SMOKE_TEST_SOURCE } from '../../src/release/private/smoke-test-source';

const lambdaMock = mockClient(LambdaClient);
const codedeployMock = mockClient(CodeDeployClient);
const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:orders:7';
const EVENT = { DeploymentId: 'd-123', LifecycleEventHookExecutionId: 'hook-456' };

/** Loads the inline source as Lambda would (CommonJS), with the SDK clients mocked. */
function loadHandler(): (event: unknown) => Promise<string> {
  const module = { exports: {} as any };
  new Function('require', 'exports', 'module', SMOKE_TEST_SOURCE)(require, module.exports, module);
  return module.exports.handler;
}

beforeEach(() => {
  lambdaMock.reset();
  codedeployMock.reset();
  process.env.TARGET_VERSION_ARN = TARGET;
  process.env.PAYLOAD = '{"ping":true}';
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('smoke-test handler', () => {
  test('invokes the version under test with the payload and reports success', async () => {
    // GIVEN
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: Buffer.from('"ok"') as any });

    // WHEN
    const status = await loadHandler()(EVENT);

    // THEN
    expect(status).toBe('Succeeded');
    const invoke = lambdaMock.commandCalls(InvokeCommand)[0].args[0].input;
    expect(invoke.FunctionName).toBe(TARGET);
    expect(Buffer.from(invoke.Payload as Uint8Array).toString()).toBe('{"ping":true}');
    expect(codedeployMock.commandCalls(PutLifecycleEventHookExecutionStatusCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-123', lifecycleEventHookExecutionId: 'hook-456', status: 'Succeeded',
    });
  });

  test('reports failure when the new version returns a function error', async () => {
    // GIVEN
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from('{"errorMessage":"boom"}') as any });

    // WHEN
    const status = await loadHandler()(EVENT);

    // THEN
    expect(status).toBe('Failed');
    expect(codedeployMock.commandCalls(PutLifecycleEventHookExecutionStatusCommand)[0].args[0].input.status).toBe('Failed');
  });

  test('reports failure when the invocation itself fails', async () => {
    // GIVEN
    lambdaMock.on(InvokeCommand).rejects(new Error('AccessDeniedException'));

    // WHEN
    const status = await loadHandler()(EVENT);

    // THEN
    expect(status).toBe('Failed');
    expect(codedeployMock.commandCalls(PutLifecycleEventHookExecutionStatusCommand)[0].args[0].input.status).toBe('Failed');
  });
});
