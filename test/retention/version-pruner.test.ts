import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  DeleteFunctionCommand,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import {
  awsError, codeDeployMock, deletedVersions, environment, event, FN, lambdaMock, NOW, OLD, range, serve,
} from './fake-aws';
import { handler, onEvent } from '../../src/retention/version-pruner.lambda';

beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('keeping the newest versions', () => {
  test('deletes exactly the versions beyond the newest N, oldest first, reading every page', async () => {
    // GIVEN 100 versions served 7 to a page (15 pages), the alias on 100
    serve({ versions: range(100), pageSize: 7, aliases: [{ Name: 'live', FunctionVersion: '100' }] });

    // WHEN the pruner keeps 3 (old props name 99 as the rollback target)
    const response = await onEvent(event({ props: { MaxDeletions: '500' } }), environment());

    // THEN 1..97 go, 98..100 and $LATEST stay, and the listing followed every page
    expect(response.Status).toBe('SUCCESS');
    expect(deletedVersions()).toEqual(range(97).map(String));
    expect(lambdaMock.commandCalls(ListVersionsByFunctionCommand)).toHaveLength(15);
    expect(response.Data.DeletedCount).toBe('97');
    expect(response.Data.Kept).toContain('100 (');
    expect(response.Data.Kept).toContain('$LATEST ($LATEST)');
  });

  test('sorts versions numerically, so version 10 counts as newer than version 9', async () => {
    // GIVEN versions 1..10 listed in text order (1, 10, 2, ... 9)
    serve({ versions: [1, 10, 2, 3, 4, 5, 6, 7, 8, 9] });

    // WHEN keeping the 2 newest, with nothing else protecting 9
    await onEvent(event({ props: { RetainVersions: '2', CurrentVersion: '10', LiveVersion: '10' }, oldProps: { CurrentVersion: '10', LiveVersion: '10' } }), environment());

    // THEN 9 and 10 are kept, 1..8 deleted
    expect(deletedVersions()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });

  test('never deletes $LATEST, even when only one version is kept', async () => {
    // GIVEN $LATEST and versions 1..5
    serve({ versions: range(5) });

    // WHEN keeping 1
    await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '5', LiveVersion: '5' }, oldProps: { CurrentVersion: '5', LiveVersion: '5' } }), environment());

    // THEN $LATEST is never asked to be deleted
    expect(deletedVersions()).toEqual(['1', '2', '3', '4']);
    expect(deletedVersions()).not.toContain('$LATEST');
  });
});

describe('protected versions', () => {
  const keep1 = { RetainVersions: '1', CurrentVersion: '20', LiveVersion: '20' };
  const old20 = { CurrentVersion: '20', LiveVersion: '20' };

  test('never deletes a version an alias points to', async () => {
    // GIVEN aliases on old versions 3 and 7, over several pages of aliases
    serve({
      versions: range(20),
      pageSize: 2,
      aliases: [{ Name: 'live', FunctionVersion: '20' }, { Name: 'pinned', FunctionVersion: '3' }, { Name: 'qa', FunctionVersion: '7' }],
    });

    // WHEN pruning down to 1
    const response = await onEvent(event({ props: keep1, oldProps: old20 }), environment());

    // THEN 3 and 7 survive, and say why
    expect(deletedVersions()).not.toContain('3');
    expect(deletedVersions()).not.toContain('7');
    expect(deletedVersions()).toHaveLength(17);
    expect(response.Data.Kept).toContain('3 (alias pinned)');
    expect(lambdaMock.commandCalls(ListAliasesCommand)).toHaveLength(2);
  });

  test('never deletes a version an alias routes weighted traffic to (a canary in flight)', async () => {
    // GIVEN live on 20 with 10% routed to 4
    serve({ versions: range(20), aliases: [{ Name: 'live', FunctionVersion: '20', RoutingConfig: { AdditionalVersionWeights: { 4: 0.1 } } }] });

    // WHEN pruning down to 1
    const response = await onEvent(event({ props: keep1, oldProps: old20 }), environment());

    // THEN 4 survives
    expect(deletedVersions()).not.toContain('4');
    expect(response.Data.Kept).toContain('4 (weighted routing of alias live)');
  });

  test('never deletes a version with provisioned concurrency, and ignores provisioned concurrency on aliases', async () => {
    // GIVEN provisioned concurrency on version 5 and on the alias live
    serve({ versions: range(20), aliases: [{ Name: 'live', FunctionVersion: '20' }], provisioned: ['5', 'live'] });

    // WHEN pruning down to 1
    const response = await onEvent(event({ props: keep1, oldProps: old20 }), environment());

    // THEN 5 survives and the rest go
    expect(deletedVersions()).not.toContain('5');
    expect(deletedVersions()).toHaveLength(18);
    expect(response.Data.Kept).toContain('5 (provisioned concurrency)');
  });

  test('never deletes a version an event source mapping is bound to', async () => {
    // GIVEN a mapping on version 6 that the unqualified listing reports
    serve({ versions: range(20), mappings: ['6', 'live'] });

    // WHEN pruning down to 1
    const response = await onEvent(event({ props: keep1, oldProps: old20 }), environment());

    // THEN 6 survives
    expect(deletedVersions()).not.toContain('6');
    expect(response.Data.Kept).toMatch(/6 \(event source mapping esm-6-0\)/);
    expect(lambdaMock.commandCalls(ListEventSourceMappingsCommand)[0].args[0].input.FunctionName).toBe(FN);
  });

  test('asks about each version before deleting it, catching mappings the unqualified listing leaves out', async () => {
    // GIVEN a mapping on version 8 that only the qualified query returns
    serve({ versions: range(20), qualifiedOnlyMappings: ['8'] });

    // WHEN pruning down to 1
    const response = await onEvent(event({ props: keep1, oldProps: old20 }), environment());

    // THEN 8 survives, and a qualified query preceded each deletion
    expect(deletedVersions()).not.toContain('8');
    expect(response.Data.Kept).toContain('8 (event source mapping esm-8-0)');
    const queried = lambdaMock.commandCalls(ListEventSourceMappingsCommand).map((c) => c.args[0].input.FunctionName);
    expect(queried).toContain(`${FN}:1`);
  });

  test('never deletes the version the alias pointed to before this deployment (the rollback target)', async () => {
    // GIVEN this deployment moved live from 12 to 20 (published 19 earlier, pinned back to 12)
    serve({ versions: range(20), aliases: [{ Name: 'live', FunctionVersion: '20' }] });

    // WHEN pruning down to 1, the old properties naming 19 (published) and 12 (live)
    const response = await onEvent(event({ props: keep1, oldProps: { CurrentVersion: '19', LiveVersion: '12' } }), environment());

    // THEN both survive for a rollback
    expect(deletedVersions()).not.toContain('12');
    expect(deletedVersions()).not.toContain('19');
    expect(response.Data.Kept).toContain('12 (rollback target)');
  });

  test('keeps the versions this deployment published and points the alias to, even outside the newest N', async () => {
    // GIVEN the alias pinned to 2 while 20 was published
    serve({ versions: range(20) });

    // WHEN pruning down to 1
    await onEvent(event({ props: { ...keep1, LiveVersion: '2' }, oldProps: old20 }), environment());

    // THEN 2 survives
    expect(deletedVersions()).not.toContain('2');
  });

  test('never deletes a version younger than the minimum age', async () => {
    // GIVEN versions 15..20 modified 10 minutes ago
    const recent = new Date(NOW - 10 * 60_000).toISOString().replace('Z', '+0000');
    const lastModified = Object.fromEntries(range(6, 15).map((v) => [v, recent]));
    serve({ versions: range(20), lastModified });

    // WHEN pruning down to 1 with a one-hour floor
    const response = await onEvent(event({ props: keep1, oldProps: old20 }), environment());

    // THEN only 1..14 go
    expect(deletedVersions()).toEqual(range(14).map(String));
    expect(response.Data.Kept).toContain('15 (younger than 3600s)');
  });

  test('deletes nothing while a CodeDeploy deployment of the function is in progress', async () => {
    // GIVEN an unfinished deployment on the second page of ListDeployments
    serve({ versions: range(20), deployments: ['d-1', 'd-2', 'd-3'] });

    // WHEN the pruner watches the deployment group
    const response = await onEvent(event({ props: { ...keep1, CodeDeployApplication: 'app', CodeDeployDeploymentGroup: 'group' }, oldProps: old20 }), environment());

    // THEN nothing is deleted and the report says why
    expect(deletedVersions()).toEqual([]);
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data.Kept).toContain('CodeDeploy deployment d-1, d-2, d-3 in progress');
    const calls = codeDeployMock.commandCalls(ListDeploymentsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0].args[0].input).toMatchObject({
      applicationName: 'app', deploymentGroupName: 'group', includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
    });
  });

  test('prunes when the deployment group has no unfinished deployment, and skips CodeDeploy when none is configured', async () => {
    // GIVEN no unfinished deployment
    serve({ versions: range(5) });

    // WHEN run with and without a deployment group
    await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '5', LiveVersion: '5', CodeDeployApplication: 'app', CodeDeployDeploymentGroup: 'group' }, oldProps: { CurrentVersion: '5', LiveVersion: '5' } }), environment());
    const withGroup = deletedVersions();
    serve({ versions: range(5) });
    await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '5', LiveVersion: '5' }, oldProps: { CurrentVersion: '5', LiveVersion: '5' } }), environment());

    // THEN both prune, and only the first asked CodeDeploy
    expect(withGroup).toEqual(['1', '2', '3', '4']);
    expect(deletedVersions()).toEqual(['1', '2', '3', '4']);
    expect(codeDeployMock.commandCalls(ListDeploymentsCommand)).toHaveLength(0);
  });

  test('skips a Lambda@Edge replicated version, reports it, and carries on', async () => {
    // GIVEN Lambda refuses version 2 because CloudFront still holds replicas
    serve({ versions: range(5) });
    lambdaMock.on(DeleteFunctionCommand, { Qualifier: '2' }).rejects(awsError('InvalidParameterValueException',
      `Lambda was unable to delete arn:aws:lambda:us-east-1:123456789012:function:${FN}:2 because it is a replicated function.`));

    // WHEN pruning down to 1
    const response = await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '5', LiveVersion: '5' }, oldProps: { CurrentVersion: '5', LiveVersion: '5' } }), environment());

    // THEN 1, 3 and 4 go, 2 is reported as a replica, and it is not an error
    expect(response.Data.Deleted).toBe('1,3,4');
    expect(response.Data.Kept).toContain('2 (Lambda@Edge replica still exists)');
    expect(response.Data.ErrorCount).toBe('0');
  });
});

describe('throttling, limits and modes', () => {
  test('retries a throttled list call with exponential backoff', async () => {
    // GIVEN ListVersionsByFunction throttled twice
    serve({ versions: range(5) });
    const served = lambdaMock.on(ListVersionsByFunctionCommand);
    served.rejectsOnce(awsError('TooManyRequestsException')).rejectsOnce(awsError('TooManyRequestsException'))
      .resolves({ Versions: [{ Version: '$LATEST', LastModified: OLD }, ...range(5).map((v) => ({ Version: String(v), LastModified: OLD }))] });
    const env = environment();

    // WHEN pruning down to 1
    const response = await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '5', LiveVersion: '5' }, oldProps: { CurrentVersion: '5', LiveVersion: '5' } }), env);

    // THEN it waited 250 then 500 ms and pruned as usual
    expect(env.sleeps).toEqual([250, 500]);
    expect(response.Data.Deleted).toBe('1,2,3,4');
  });

  test('retries throttled deletions and CodeDeploy calls (ThrottlingException)', async () => {
    // GIVEN DeleteFunction and ListDeployments throttled once each
    serve({ versions: range(3) });
    lambdaMock.on(DeleteFunctionCommand).rejectsOnce(awsError('TooManyRequestsException')).resolves({});
    codeDeployMock.on(ListDeploymentsCommand).rejectsOnce(awsError('ThrottlingException')).resolves({ deployments: [] });
    const env = environment();

    // WHEN pruning down to 1
    const response = await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '3', LiveVersion: '3', CodeDeployApplication: 'a', CodeDeployDeploymentGroup: 'g' }, oldProps: { CurrentVersion: '3', LiveVersion: '3' } }), env);

    // THEN both were retried and 1, 2 deleted
    expect(response.Data.Deleted).toBe('1,2');
    expect(env.sleeps).toEqual([250, 250]);
  });

  test('gives up after repeated throttling, deletes nothing and still lets the deployment succeed', async () => {
    // GIVEN ListAliases always throttled
    serve({ versions: range(5) });
    lambdaMock.on(ListAliasesCommand).rejects(awsError('TooManyRequestsException', 'Rate exceeded'));
    const env = environment({ deadline: NOW + 3_600_000 });

    // WHEN pruning
    const response = await onEvent(event({ props: { RetainVersions: '1' } }), env);

    // THEN 8 attempts, capped delays, no deletion, SUCCESS with the error reported
    expect(env.sleeps).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000]);
    expect(deletedVersions()).toEqual([]);
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data.Errors).toContain('TooManyRequestsException: Rate exceeded');
  });

  test('deletes at most MaxDeletions versions per run, the oldest first', async () => {
    // GIVEN 40 versions
    serve({ versions: range(40) });

    // WHEN keeping 1 with a cap of 5
    const response = await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '40', LiveVersion: '40', MaxDeletions: '5' }, oldProps: { CurrentVersion: '40', LiveVersion: '40' } }), environment());

    // THEN 1..5 go and 6 waits for the next run
    expect(deletedVersions()).toEqual(['1', '2', '3', '4', '5']);
    expect(response.Data.Kept).toContain('6 (over the cap of 5 deletions per run)');
  });

  test('in a dry run, reports what it would delete and deletes nothing', async () => {
    // GIVEN 6 versions
    serve({ versions: range(6) });

    // WHEN dry-running a prune down to 2
    const response = await onEvent(event({ props: { RetainVersions: '2', CurrentVersion: '6', LiveVersion: '6', DryRun: 'true' }, oldProps: { CurrentVersion: '6', LiveVersion: '6' } }), environment());

    // THEN nothing is deleted and 1..4 are listed
    expect(lambdaMock.commandCalls(DeleteFunctionCommand)).toHaveLength(0);
    expect(response.Data).toMatchObject({ WouldDelete: '1,2,3,4', Deleted: '', DryRun: 'true' });
  });

  test('stops deleting when the handler runs out of time, and leaves the rest for the next deployment', async () => {
    // GIVEN a clock that passes the deadline after the planning
    serve({ versions: range(10) });
    let t = NOW;
    const env = environment({ now: () => t, deadline: NOW + 1000 });
    lambdaMock.on(DeleteFunctionCommand).callsFake(() => { t += 600; return {}; });

    // WHEN pruning down to 1
    const response = await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '10', LiveVersion: '10' }, oldProps: { CurrentVersion: '10', LiveVersion: '10' } }), env);

    // THEN two deletions happen, the others are kept with the reason
    expect(deletedVersions()).toEqual(['1', '2']);
    expect(response.Data.Kept).toContain('3 (out of time; the next deployment continues)');
    expect(response.Status).toBe('SUCCESS');
  });
});

describe('failures', () => {
  test('a failed list call deletes nothing and does not fail the deployment', async () => {
    // GIVEN the role may not list aliases
    serve({ versions: range(10) });
    lambdaMock.on(ListAliasesCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: lambda:ListAliases'));

    // WHEN pruning
    const response = await onEvent(event({ props: { RetainVersions: '1' } }), environment());

    // THEN SUCCESS, nothing deleted, the error in Data
    expect(response.Status).toBe('SUCCESS');
    expect(deletedVersions()).toEqual([]);
    expect(response.Data).toMatchObject({ ErrorCount: '1', Errors: 'AccessDeniedException: not authorized to perform: lambda:ListAliases' });
  });

  test('in strict mode, a failed list call fails the deployment with the reason', async () => {
    // GIVEN the role may not list aliases
    serve({ versions: range(10) });
    lambdaMock.on(ListAliasesCommand).rejects(awsError('AccessDeniedException', 'denied'));

    // WHEN pruning strictly
    const response = await onEvent(event({ props: { RetainVersions: '1', Strict: 'true' } }), environment());

    // THEN FAILED, with the error as the reason
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('AccessDeniedException: denied');
    expect(deletedVersions()).toEqual([]);
  });

  test('a failed deletion is reported, the others carry on, and strict mode fails the deployment', async () => {
    // GIVEN Lambda refuses version 2 (an alias was pointed at it in between)
    serve({ versions: range(4) });
    lambdaMock.on(DeleteFunctionCommand, { Qualifier: '2' }).rejects(awsError('ResourceConflictException', 'referenced by an alias'));
    const props = { RetainVersions: '1', CurrentVersion: '4', LiveVersion: '4' };
    const old = { CurrentVersion: '4', LiveVersion: '4' };

    // WHEN pruning, leniently then strictly
    const lenient = await onEvent(event({ props, oldProps: old }), environment());
    const strict = await onEvent(event({ props: { ...props, Strict: 'true' }, oldProps: old }), environment());

    // THEN 1 and 3 go both times; lenient succeeds, strict fails
    expect(lenient).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: '1,3', Errors: 'version 2: ResourceConflictException: referenced by an alias' } });
    expect(strict.Status).toBe('FAILED');
    expect(strict.Data.Deleted).toBe('1,3');
  });

  // issue #18 §7: a version someone else deleted first is the goal reached, not a failure.
  test.each([
    ['DeleteFunction', () => lambdaMock.on(DeleteFunctionCommand, { Qualifier: '2' }).rejects(awsError('ResourceNotFoundException', 'Function not found: orders-Fn-ABC:2'))],
    ['the per-version mapping check', () => lambdaMock.on(ListEventSourceMappingsCommand, { FunctionName: `${FN}:2` }).rejects(awsError('ResourceNotFoundException', 'Function not found'))],
  ])('in strict mode, a version already deleted by someone else (%s answers ResourceNotFoundException) is a success', async (_where, gone) => {
    // GIVEN version 2 disappears between the listing and its deletion
    serve({ versions: range(4) });
    gone();

    // WHEN pruning strictly
    const response = await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '4', LiveVersion: '4', Strict: 'true' }, oldProps: { CurrentVersion: '4', LiveVersion: '4' } }), environment());

    // THEN SUCCESS, no error, and the report says 2 was already gone
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: '1,3', AlreadyDeleted: '2', ErrorCount: '0', Errors: '' } });
    expect(response.Data.Kept).not.toMatch(/(^|, )2 \(/);
  });

  test('in strict mode, another error on a deletion still fails the deployment', async () => {
    // GIVEN Lambda refuses version 2 with an error that is not "not found"
    serve({ versions: range(4) });
    lambdaMock.on(DeleteFunctionCommand, { Qualifier: '2' }).rejects(awsError('ServiceException', 'internal'));

    // WHEN pruning strictly
    const response = await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '4', LiveVersion: '4', Strict: 'true' }, oldProps: { CurrentVersion: '4', LiveVersion: '4' } }), environment());

    // THEN FAILED, with 2 named
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('version 2: ServiceException: internal');
    expect(response.Data.AlreadyDeleted).toBe('');
  });

  test('malformed properties are reported, and fail the deployment only when strict', async () => {
    // GIVEN RetainVersions is not a number
    serve({ versions: range(4) });

    // WHEN handled leniently and strictly
    const lenient = await onEvent(event({ props: { RetainVersions: 'three' } }), environment());
    const strict = await onEvent(event({ props: { RetainVersions: 'three', Strict: 'true' } }), environment());

    // THEN nothing is listed or deleted; only the strict one fails
    expect(lambdaMock.commandCalls(ListVersionsByFunctionCommand)).toHaveLength(0);
    expect(lenient.Status).toBe('SUCCESS');
    expect(lenient.Data.Errors).toContain('RetainVersions must be a whole number of at least 1, got "three"');
    expect(strict.Status).toBe('FAILED');
  });
});

describe('custom resource lifecycle', () => {
  test('a Delete event does nothing and succeeds with the same physical id', async () => {
    // GIVEN an account with old versions
    serve({ versions: range(10) });

    // WHEN the resource is deleted
    const response = await onEvent(event({ requestType: 'Delete' }), environment());

    // THEN no call is made
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'pruner-id' });
    expect(lambdaMock.calls()).toHaveLength(0);
  });

  test('a Create event (retention switched on for an existing function) deletes nothing, says why, and has a stable physical id', async () => {
    // GIVEN 10 old versions, whose aliases may have moved in this deployment from versions nobody recorded
    serve({ versions: range(10) });

    // WHEN the pruner is created
    const response = await onEvent(event({ requestType: 'Create', props: { RetainVersions: '3', CurrentVersion: '10', LiveVersion: '10' } }), environment());

    // THEN nothing is deleted until the next deployment, and the resource names itself after the resource and the function
    expect(deletedVersions()).toEqual([]);
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data.Kept).toContain('first run: the previous targets of the aliases are not recorded yet');
    expect(response.PhysicalResourceId).toBe(`FnVersionPruner-${FN}`);
  });

  test('the response Data stays under the 4,096-byte limit of a custom resource response', async () => {
    // GIVEN 600 versions, all protected by aliases except the oldest 300
    serve({ versions: range(600), aliases: range(300, 301).map((v) => ({ Name: `a${v}`, FunctionVersion: String(v) })) });

    // WHEN pruning
    const response = await onEvent(event({ props: { RetainVersions: '1', CurrentVersion: '600', LiveVersion: '600', MaxDeletions: '300' }, oldProps: { CurrentVersion: '600', LiveVersion: '600' } }), environment());

    // THEN the whole response fits
    expect(response.Data.DeletedCount).toBe('300');
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThan(4096 - 500);
  });

  test('the handler answers CloudFormation by PUT to the pre-signed URL', async () => {
    // GIVEN an account and a fetch that accepts the response
    serve({ versions: range(3) });
    const fetchMock = jest.spyOn(global, 'fetch').mockResolvedValue(new Response(null, { status: 200 }));

    // WHEN Lambda invokes the handler
    await handler(event({ props: { RetainVersions: '1', CurrentVersion: '3', LiveVersion: '3' }, oldProps: { CurrentVersion: '3', LiveVersion: '3' } }), {
      getRemainingTimeInMillis: () => 300_000,
    } as any);

    // THEN one PUT carries the status, ids and data
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('https://cloudformation-custom-resource-response.example/response');
    expect(init?.method).toBe('PUT');
    expect(JSON.parse(String(init?.body))).toMatchObject({
      Status: 'SUCCESS', PhysicalResourceId: 'pruner-id', RequestId: 'req-1', LogicalResourceId: 'FnVersionPruner', Data: { Deleted: '1,2' },
    });
  });
});
