import { DeleteFunctionCommand, ListDurableExecutionsByFunctionCommand } from '@aws-sdk/client-lambda';
import * as sdk from '@aws-sdk/client-lambda';
import { awsError, deletedVersions, environment, event, lambdaMock, range, serve } from './fake-aws';
import { onEvent } from '../../src/retention/version-pruner.lambda';

beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

/** Keep 1 of versions 1..6 (6 is live and current); 1..5 are candidates. */
const KEEP_1 = { props: { RetainVersions: '1', CurrentVersion: '6', LiveVersion: '6' }, oldProps: { CurrentVersion: '6', LiveVersion: '6' } };

describe('durable executions', () => {
  test.each([
    ['a RUNNING execution keeps its version', { 2: ['RUNNING'] }, 1, ['1', '3', '4', '5'], '2 (durable execution'],
    ['only ended executions (SUCCEEDED, FAILED, TIMED_OUT, STOPPED) do not keep a version', { 2: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'] }, 1, ['1', '2', '3', '4', '5'], undefined],
    ['a RUNNING execution on the third page, after ended ones, still keeps its version', { 3: ['SUCCEEDED', 'SUCCEEDED', 'STOPPED', 'FAILED', 'RUNNING'] }, 2, ['1', '2', '4', '5'], '3 (durable execution'],
    ['a status Lambda adds later counts as running', { 4: ['PAUSED'] }, 1, ['1', '2', '3', '5'], '4 (durable execution'],
  ])('GIVEN a durable function WHEN %s', async (_, executions, pageSize, deleted, kept) => {
    // GIVEN a durable function whose versions carry these executions (the listing ignores the status filter)
    serve({ versions: range(6), durable: true, executions, pageSize });

    // WHEN pruning down to 1
    const response = await onEvent(event(KEEP_1), environment());

    // THEN versions with a running execution survive; each candidate was asked about, by qualifier
    expect(deletedVersions()).toEqual(deleted);
    if (kept) expect(response.Data.Kept).toContain(kept);
    const asked = lambdaMock.commandCalls(ListDurableExecutionsByFunctionCommand).map((c) => c.args[0].input);
    expect(asked[0]).toMatchObject({ FunctionName: expect.any(String), Qualifier: '1', Statuses: ['RUNNING'] });
    expect(response.Status).toBe('SUCCESS');
  });

  test('GIVEN a function that is not durable THEN no durable listing is made', async () => {
    // GIVEN versions without DurableConfig
    serve({ versions: range(6) });

    // WHEN pruning
    await onEvent(event(KEEP_1), environment());

    // THEN no ListDurableExecutionsByFunction call, and the candidates go
    expect(lambdaMock.commandCalls(ListDurableExecutionsByFunctionCommand)).toHaveLength(0);
    expect(deletedVersions()).toEqual(['1', '2', '3', '4', '5']);
  });

  test('GIVEN a throttled durable listing THEN it is retried with backoff and the version is then judged', async () => {
    // GIVEN the listing throttled twice for version 2, which has a running execution
    serve({ versions: range(6), durable: true, executions: { 2: ['RUNNING'] } });
    let throttles = 2;
    lambdaMock.on(ListDurableExecutionsByFunctionCommand, { Qualifier: '2' }).callsFake(() => {
      if (throttles-- > 0) throw awsError('TooManyRequestsException');
      return { DurableExecutions: [{ DurableExecutionArn: 'e', Status: 'RUNNING' }] };
    });
    const env = environment();

    // WHEN pruning
    const response = await onEvent(event(KEEP_1), env);

    // THEN two waits, 2 kept as running, the others deleted
    expect(env.sleeps).toEqual([250, 500]);
    expect(deletedVersions()).toEqual(['1', '3', '4', '5']);
    expect(response.Data.Kept).toContain('2 (durable execution e still running)');
    expect(lambdaMock.commandCalls(DeleteFunctionCommand)).toHaveLength(4);
  });

  test('GIVEN a durable listing that keeps failing (throttled past every retry, or denied) THEN the version is kept, the error reported, the deployment not failed', async () => {
    // GIVEN version 3's listing always throttled and version 4's denied
    serve({ versions: range(6), durable: true });
    lambdaMock.on(ListDurableExecutionsByFunctionCommand, { Qualifier: '3' }).rejects(awsError('TooManyRequestsException', 'Rate exceeded'));
    lambdaMock.on(ListDurableExecutionsByFunctionCommand, { Qualifier: '4' }).rejects(awsError('AccessDeniedException', 'denied'));

    // WHEN pruning
    const response = await onEvent(event(KEEP_1), environment({ deadline: Number.MAX_SAFE_INTEGER }));

    // THEN 3 and 4 survive, both errors are reported, and the answer is SUCCESS
    expect(deletedVersions()).toEqual(['1', '2', '5']);
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data.Errors).toContain('version 3: TooManyRequestsException: Rate exceeded');
    expect(response.Data.Errors).toContain('version 4: AccessDeniedException: denied');
  });

  test.each([
    ['a durable function', true],
    ['a function without DurableConfig (such an SDK would not show it)', false],
  ])('GIVEN a runtime whose AWS SDK lacks ListDurableExecutionsByFunctionCommand and %s THEN nothing is deleted, with a log line saying why', async (_, durable) => {
    // GIVEN the handler loaded against an @aws-sdk/client-lambda without the command
    let isolated: typeof import('../../src/retention/version-pruner.lambda') | undefined;
    jest.isolateModules(() => {
      // The same module the mocks patch, minus the command.
      const { ListDurableExecutionsByFunctionCommand: _absent, ...rest } = sdk;
      jest.doMock('@aws-sdk/client-lambda', () => rest);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy, loaded against the mocked SDK
      isolated = require('../../src/retention/version-pruner.lambda');
    });
    serve({ versions: range(6), durable });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);

    // WHEN pruning
    const response = await isolated!.onEvent(event(KEEP_1), environment());

    // THEN nothing is deleted, each candidate says why, and the log explains it
    expect(deletedVersions()).toEqual([]);
    expect(response.Data.Kept).toContain('1 (this runtime\'s AWS SDK cannot list durable executions (nor tell a durable function))');
    expect(log.mock.calls.flat().join('\n')).toContain('ListDurableExecutionsByFunctionCommand is missing');
    jest.dontMock('@aws-sdk/client-lambda');
  });
});
