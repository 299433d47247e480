/**
 * The handler as it deploys: the esbuild bundle under assets/ that VersionPrunerFunction uploads
 * (built by `npx projen bundle`, before the tests), driven through its Lambda entry point against
 * mocked AWS clients, with a fake clock and the Lambda context's remaining time.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  DeleteFunctionCommand, ListAliasesCommand, ListEventSourceMappingsCommand, ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { deletedVersions, event, lambdaMock, NOW, OLD, range, serve } from './fake-aws';

const ASSET = path.join(__dirname, '../../assets/retention/version-pruner.lambda/index.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is plain CommonJS
const bundle: typeof import('../../src/retention/version-pruner.lambda') = require(ASSET);

/** The PUTs the handler made to the pre-signed URL, with the fake time of each. */
let puts: Array<{ at: number; body: any }>;

beforeEach(() => {
  jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  puts = [];
  jest.spyOn(global, 'fetch').mockImplementation(async (_url, init) => {
    puts.push({ at: Date.now(), body: JSON.parse(String(init?.body)) });
    return new Response(null, { status: 200 });
  });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** Invokes the bundled handler as Lambda would, with `remainingMs` before Lambda stops it; runs the fake clock. */
async function invoke(ev: unknown, remainingMs = 300_000): Promise<{ finished: boolean; at: number; end: number }> {
  const end = Date.now() + remainingMs;
  let finished = false;
  void bundle.handler(ev as any, { getRemainingTimeInMillis: () => end - Date.now() } as any).then(() => { finished = true; });
  while (!finished && Date.now() < end + 60_000) await jest.advanceTimersByTimeAsync(500);
  return { finished, at: Date.now(), end };
}

/** Never settles: a stalled connection. */
const stalled = () => new Promise<never>(() => undefined);

test('the bundle under assets/ is the asset the pruner function deploys, built from the current source', () => {
  // GIVEN the generated construct and the bundle
  const construct = fs.readFileSync(path.join(__dirname, '../../src/retention/version-pruner-function.ts'), 'utf8');

  // THEN the construct uploads that directory, and the bundle carries this source's behaviour
  expect(construct).toContain("'../../assets/retention/version-pruner.lambda'");
  expect(fs.readFileSync(ASSET, 'utf8')).toContain('first run: the previous targets of the aliases are not recorded yet');
});

test('the deployed SDK clients have request and connection timeouts (the SDK default is none)', async () => {
  // GIVEN / WHEN the clients the handler creates
  const { lambda, codeDeploy } = bundle.createClients();

  // THEN both bound every request
  for (const client of [lambda, codeDeploy]) {
    const config = await (client.config.requestHandler as any).configProvider;
    expect(config).toMatchObject({ requestTimeout: 10_000, connectionTimeout: 3_000 });
    expect(await client.config.maxAttempts()).toBe(3);
  }
});

describe('a response is always sent in time', () => {
  const KEEP_1 = { props: { RetainVersions: '1', CurrentVersion: '10', LiveVersion: '10' }, oldProps: { CurrentVersion: '10', LiveVersion: '10' } };

  test.each([
    ['ListVersionsByFunction stalls', ListVersionsByFunctionCommand],
    ['ListAliases stalls', ListAliasesCommand],
    ['ListEventSourceMappings stalls', ListEventSourceMappingsCommand],
  ])('GIVEN %s THEN nothing is deleted and SUCCESS is sent before the Lambda timeout', async (_, command) => {
    // GIVEN the call never answers
    serve({ versions: range(10) });
    lambdaMock.on(command as any).callsFake(stalled);

    // WHEN Lambda invokes the handler with 5 minutes left
    const run = await invoke(event(KEEP_1));

    // THEN one answer, well before the end, SUCCESS with the timeout reported, no deletion
    expect(run.finished).toBe(true);
    expect(puts).toHaveLength(1);
    expect(puts[0].at).toBeLessThan(run.end);
    expect(puts[0].body).toMatchObject({ Status: 'SUCCESS', RequestId: 'req-1', Data: { DeletedCount: '0' } });
    expect(puts[0].body.Data.Errors).toMatch(/no answer within 15000 ms/);
    expect(deletedVersions()).toEqual([]);
  });

  test('GIVEN a deletion that stalls THEN the other candidates are still judged and the answer is sent in time', async () => {
    // GIVEN DeleteFunction of version 3 never answers
    serve({ versions: range(10) });
    lambdaMock.on(DeleteFunctionCommand, { Qualifier: '3' }).callsFake(stalled);

    // WHEN invoked
    const run = await invoke(event(KEEP_1));

    // THEN 3 is reported, the others went, one answer in time
    expect(puts).toHaveLength(1);
    expect(puts[0].at).toBeLessThan(run.end);
    expect(puts[0].body.Data.Deleted).toBe('1,2,4,5,6,7,8,9');
    expect(puts[0].body.Data.Errors).toContain('version 3: TimeoutError');
  });

  test.each([
    ['instant pages', 0],
    ['pages that each take 14 s (just under the call timeout)', 14_000],
  ])('GIVEN endless pagination with %s THEN listing stops, nothing is deleted and the answer is sent in time', async (_, delay) => {
    // GIVEN ListVersionsByFunction always returns a fresh NextMarker
    serve({ versions: range(10) });
    let n = 0;
    lambdaMock.on(ListVersionsByFunctionCommand).callsFake(async () => {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      return { Versions: [{ Version: String(++n), LastModified: OLD }], NextMarker: `m${n}` };
    });

    // WHEN invoked
    const run = await invoke(event(KEEP_1));

    // THEN one answer in time, no deletion, the reason given
    expect(puts).toHaveLength(1);
    expect(puts[0].at).toBeLessThan(run.end);
    expect(deletedVersions()).toEqual([]);
    expect(puts[0].body.Data.Errors).toMatch(/listing stopped after \d+ pages/);
  });

  test.each([
    ['SUCCESS by default', 'false', 'SUCCESS'],
    ['FAILED when strict', 'true', 'FAILED'],
  ])('GIVEN the whole run outlasting its deadline THEN the race answers %s before the Lambda timeout', async (_, strict, status) => {
    // GIVEN calls that each take 9 s (under the per-call timeout) over many pages, and 60 s left
    serve({ versions: range(10) });
    let n = 0;
    lambdaMock.on(ListVersionsByFunctionCommand).callsFake(async () => {
      await new Promise((r) => setTimeout(r, 9_000));
      return { Versions: [{ Version: String(++n), LastModified: OLD }], NextMarker: `m${n}` };
    });

    // WHEN invoked with 60 s left
    const run = await invoke(event({ ...KEEP_1, props: { ...KEEP_1.props, Strict: strict } }), 60_000);

    // THEN one answer, before the end
    expect(puts).toHaveLength(1);
    expect(puts[0].at).toBeLessThan(run.end);
    expect(puts[0].body.Status).toBe(status);
    expect(deletedVersions()).toEqual([]);
  });

  test('GIVEN an onEvent that ignores every deadline THEN answerInTime still answers at the deadline, and the late run starts nothing more', async () => {
    // GIVEN a stalled listing and an environment whose call timeout never fires
    serve({ versions: range(10) });
    lambdaMock.on(ListVersionsByFunctionCommand).callsFake(stalled);
    const cancelled = { aborted: false };
    const env = { ...bundle.createClients(), sleep: async () => undefined, now: Date.now, deadline: NOW + 1e9, callTimeoutMs: 1e9, cancelled };

    // WHEN raced against a deadline 30 s away
    const answer = bundle.answerInTime(event(KEEP_1), env, NOW + 30_000);
    await jest.advanceTimersByTimeAsync(30_000);

    // THEN the answer is SUCCESS with the reason, and the run is cancelled
    await expect(answer).resolves.toMatchObject({ Status: 'SUCCESS', Data: { Errors: expect.stringContaining('ran out of time') } });
    expect(cancelled.aborted).toBe(true);
  });
});

describe('malformed events are answered', () => {
  const base = event();
  test.each<[string, unknown]>([
    ['an event that is null', null],
    ['an event that is a string', 'hello'],
    ['no RequestType', { ...base, RequestType: undefined }],
    ['an unknown RequestType', { ...base, RequestType: 'Bogus' }],
    ['no ResourceProperties', { ...base, ResourceProperties: undefined }],
    ['ResourceProperties that is a string', { ...base, ResourceProperties: 'x' }],
    ['RetainVersions that is an object', { ...base, ResourceProperties: { ...base.ResourceProperties, RetainVersions: { n: 3 } } }],
    ['FunctionName that is a list', { ...base, ResourceProperties: { ...base.ResourceProperties, FunctionName: ['a'] } }],
    ['OldResourceProperties missing on an Update', { ...base, OldResourceProperties: undefined }],
    ['OldResourceProperties with malformed Aliases', { ...base, OldResourceProperties: { ...(base as any).OldResourceProperties, Aliases: 'x' } }],
    ['a Delete without PhysicalResourceId', { ...base, RequestType: 'Delete', PhysicalResourceId: undefined }],
  ])('GIVEN %s THEN one answer is sent in time and nothing is deleted', async (_, ev) => {
    // GIVEN an account with candidates
    serve({ versions: range(10) });

    // WHEN invoked
    const run = await invoke(ev);

    // THEN the handler finishes, sends exactly one answer (to the event's URL when it has one), and deletes nothing
    expect(run.finished).toBe(true);
    expect(deletedVersions()).toEqual([]);
    const hasUrl = !!ev && typeof ev === 'object' && 'ResponseURL' in ev;
    expect(puts).toHaveLength(hasUrl ? 1 : 0);
    if (hasUrl) {
      expect(puts[0].at).toBeLessThan(run.end);
      expect(puts[0].body.Status).toBe('SUCCESS');
      expect(typeof puts[0].body.PhysicalResourceId).toBe('string');
    }
  });

  test('GIVEN a malformed event on a strict resource THEN the answer is FAILED with the reason (Delete never fails)', async () => {
    // GIVEN strict resources, one Update with a bad property and one Delete with no physical id
    serve({ versions: range(10) });
    const strictProps = { ...base.ResourceProperties, Strict: 'true' };

    // WHEN invoked
    await invoke({ ...base, ResourceProperties: { ...strictProps, MaxDeletions: 'lots' } });
    await invoke({ ...base, RequestType: 'Delete', PhysicalResourceId: undefined, ResourceProperties: strictProps });

    // THEN the Update fails with the reason, the Delete succeeds
    expect(puts.map((p) => p.body.Status)).toEqual(['FAILED', 'SUCCESS']);
    expect(puts[0].body.Reason).toContain('MaxDeletions must be a whole number');
  });
});

describe('rollback targets', () => {
  test('GIVEN Create on a function with history and aliases THEN nothing is deleted (previous targets unknown) and the answer is SUCCESS', async () => {
    // GIVEN 30 versions, live on 30, beta on 12, prod on 5 (which may have moved in this deployment)
    serve({
      versions: range(30),
      aliases: [{ Name: 'live', FunctionVersion: '30' }, { Name: 'beta', FunctionVersion: '12' }, { Name: 'prod', FunctionVersion: '5' }],
    });

    // WHEN the pruner is created
    await invoke(event({ requestType: 'Create', props: { RetainVersions: '2', CurrentVersion: '30', LiveVersion: '30' } }));

    // THEN nothing is deleted, the aliases' targets are named, and the reason is given
    expect(deletedVersions()).toEqual([]);
    expect(puts[0].body.Status).toBe('SUCCESS');
    expect(puts[0].body.Data.Kept).toMatch(/first run/);
    const logged = JSON.parse((console.log as jest.Mock).mock.calls.map((c) => String(c[0])).find((l) => l.startsWith('{"event":"Create"'))!);
    expect(logged.kept.find((k: any) => k.version === '12').reasons).toContain('alias beta');
    expect(logged.kept.find((k: any) => k.version === '5').reasons).toContain('alias prod');
  });

  test('GIVEN stage aliases re-pinned in the same deployment THEN each one\'s previous target and routed version survive', async () => {
    // GIVEN this deployment moved live 20 -> 21, beta 8 (routing 10% to 6) -> 21 and prod 4 -> 15; the aliases have moved already
    serve({
      versions: range(21),
      aliases: [{ Name: 'live', FunctionVersion: '21' }, { Name: 'beta', FunctionVersion: '21' }, { Name: 'prod', FunctionVersion: '15' }],
    });
    const aliasesNow = [{ Name: 'live', Version: '21', Routed: [] }, { Name: 'beta', Version: '21', Routed: [] }, { Name: 'prod', Version: '15', Routed: [] }];
    const aliasesBefore = [{ Name: 'live', Version: '20', Routed: [] }, { Name: 'beta', Version: '8', Routed: ['6'] }, { Name: 'prod', Version: '4', Routed: [] }];

    // WHEN the pruner runs on the Update, keeping 1
    await invoke(event({
      props: { RetainVersions: '1', CurrentVersion: '21', LiveVersion: '21', Aliases: aliasesNow },
      oldProps: { CurrentVersion: '20', LiveVersion: '20', Aliases: aliasesBefore },
    }));

    // THEN 20, 8, 6 and 4 (previous targets) and 15, 21 (current ones) survive; everything else goes
    const survivors = ['4', '6', '8', '15', '20', '21'];
    expect(deletedVersions().sort()).toEqual(range(21).map(String).filter((v) => !survivors.includes(v)).sort());
    expect(puts[0].body.Data.Kept).toMatch(/8 \(rollback target\)/);
  });
});

describe('where the aliases point after this deployment (ResourceProperties.Aliases)', () => {
  test('GIVEN an update rollback that runs before the aliases move back THEN each alias\'s target in the properties survives', async () => {
    // GIVEN the rollback of a failed deployment: the properties are the previous template's (prod on 5,
    // routing to 4), but the aliases still point where the failed deployment put them (prod on 8)
    serve({ versions: range(10), aliases: [{ Name: 'live', FunctionVersion: '10' }, { Name: 'prod', FunctionVersion: '8' }] });

    // WHEN the pruner runs on that Update, keeping 1
    await invoke(event({
      props: {
        RetainVersions: '1',
        CurrentVersion: '10',
        LiveVersion: '10',
        MinAgeSeconds: '0',
        Aliases: [{ Name: 'live', Version: '10', Routed: [] }, { Name: 'prod', Version: '5', Routed: ['4'] }],
      },
      oldProps: {
        CurrentVersion: '10',
        LiveVersion: '10',
        Aliases: [{ Name: 'live', Version: '10', Routed: [] }, { Name: 'prod', Version: '8', Routed: [] }],
      },
    }));

    // THEN 5 and 4 (where prod is about to return) survive, as do 8 and 10 (where the aliases are now)
    const survivors = ['4', '5', '8', '10'];
    expect(deletedVersions().sort()).toEqual(range(10).map(String).filter((v) => !survivors.includes(v)).sort());
    expect(puts[0].body.Data.Kept).toMatch(/5 \(alias prod after this deployment\)/);
  });

  test.each([
    ['not a list', 'prod'],
    ['an entry without a version', [{ Name: 'prod' }]],
    ['routed versions that are not a list', [{ Name: 'prod', Version: '5', Routed: '4' }]],
  ])('GIVEN Aliases that is %s THEN nothing is deleted and CloudFormation still gets SUCCESS', async (_what, aliases) => {
    serve({ versions: range(10), aliases: [{ Name: 'live', FunctionVersion: '10' }] });
    await invoke(event({
      props: { RetainVersions: '1', CurrentVersion: '10', LiveVersion: '10', MinAgeSeconds: '0', Aliases: aliases },
      oldProps: { CurrentVersion: '9', LiveVersion: '9', Aliases: [] },
    }));
    expect(deletedVersions()).toEqual([]);
    expect(puts[0].body.Status).toBe('SUCCESS');
  });
});

describe('a property over random accounts and faults', () => {
  /** A small deterministic generator (Park-Miller), so a failure names its seed. */
  function random(seed: number): () => number {
    let a = seed * 7919;
    return () => {
      a = (a * 16807) % 2147483647;
      return a / 2147483647;
    };
  }

  // The property must not hold vacuously: enough runs delete something, and enough meet a fault.
  const seen = { deleting: 0, faulted: 0 };
  afterAll(() => {
    expect(seen.deleting).toBeGreaterThanOrEqual(10);
    expect(seen.faulted).toBeGreaterThanOrEqual(5);
  });

  test.each(range(30))('seed %i: no protected version is deleted and one answer is sent in time', async (seed) => {
    // GIVEN a random function history, random alias moves, and a random fault
    const r = random(seed);
    const pick = (n: number) => 1 + Math.floor(r() * n);
    const n = 5 + pick(60);
    const stages = range(Math.floor(r() * 4)).map((i) => ({ name: `s${i}`, before: pick(n - 1), after: r() < 0.5 ? n : pick(n) }));
    const routedBefore = r() < 0.3 ? [String(pick(n - 1))] : [];
    const liveBefore = pick(n - 1);
    const requestType = r() < 0.2 ? 'Create' : 'Update';
    serve({
      versions: range(n),
      pageSize: pick(20),
      aliases: [{ Name: 'live', FunctionVersion: String(n) }, ...stages.map((s) => ({ Name: s.name, FunctionVersion: String(s.after) }))],
    });
    const faults = [ListVersionsByFunctionCommand, ListAliasesCommand, ListEventSourceMappingsCommand, DeleteFunctionCommand];
    if (r() < 0.4) {
      lambdaMock.on(faults[Math.floor(r() * faults.length)] as any).callsFake(stalled);
      seen.faulted++;
    }
    const retain = pick(3);

    // WHEN the bundled handler runs
    const run = await invoke(event({
      requestType,
      props: {
        RetainVersions: String(retain),
        CurrentVersion: String(n),
        LiveVersion: String(n),
        MaxDeletions: '500',
        Aliases: [{ Name: 'live', Version: String(n), Routed: [] }, ...stages.map((s) => ({ Name: s.name, Version: String(s.after), Routed: [] }))],
      },
      oldProps: {
        CurrentVersion: String(liveBefore),
        LiveVersion: String(liveBefore),
        Aliases: [{ Name: 'live', Version: String(liveBefore), Routed: routedBefore }, ...stages.map((s) => ({ Name: s.name, Version: String(s.before), Routed: [] }))],
      },
    }));

    // THEN nothing protected was deleted, and exactly one answer went out before the end
    const protectedVersions = new Set([
      String(n), String(liveBefore), ...routedBefore, ...stages.flatMap((s) => [String(s.before), String(s.after)]),
      ...range(retain, n - retain + 1).map(String),
    ]);
    expect(deletedVersions().filter((v) => protectedVersions.has(v))).toEqual([]);
    if (requestType === 'Create') expect(deletedVersions()).toEqual([]);
    if (deletedVersions().length > 0) seen.deleting++;
    expect(puts).toHaveLength(1);
    expect(puts[0].at).toBeLessThan(run.end);
    expect(puts[0].body.Status).toBe('SUCCESS');
  });
});
