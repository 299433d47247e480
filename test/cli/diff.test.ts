import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as apigwv2Integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { cfnTemplate } from './cfn-cases';
import { cli, cliJson, samTranslate, synthAssembly, writeTemplate } from './cli-helpers';
import { parseYamlTemplate } from '../../src/cli/private/yaml-reader';

const SEED = path.join(__dirname, '..', 'fixtures', 'templates', 'seed-sam-http-api.yaml');
const MIXED = 'SafeLambda-MixedUpdate';
const VERSION_EXISTS = 'SafeLambda-VersionExists';
const REPLACEMENT = 'SafeLambda-Replacement';
const WEIGHTED = 'SafeLambda-WeightedProvisionedAlias';

/** A template: `Fn` with `code` and `env`, its version `versionId`, its alias, and a subscription bound to `endpoint`. */
interface StackOptions {
  readonly code?: string;
  readonly env?: Record<string, string>;
  readonly versionId?: string;
  readonly endpoint?: unknown;
  readonly fnId?: string;
  readonly aliasName?: string;
  readonly alias?: Record<string, unknown>;
}

function stack(options: StackOptions = {}): any {
  const t: any = cfnTemplate({ Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: 't', Endpoint: options.endpoint ?? { 'Fn::GetAtt': ['Fn', 'Arn'] } } });
  t.Resources.Fn.Properties.Code = { S3Bucket: 'b', S3Key: `${options.code ?? 'a'}.zip` };
  t.Resources.Fn.Properties.Environment = { Variables: options.env ?? { TABLE: 'orders' } };
  t.Resources.Fn.Properties.FunctionName = 'orders';
  if (options.versionId) {
    t.Resources[options.versionId] = t.Resources.FnVersion;
    delete t.Resources.FnVersion;
    t.Resources.FnAlias.Properties.FunctionVersion = { 'Fn::GetAtt': [options.versionId, 'Version'] };
  }
  t.Resources.FnAlias.Properties.Name = options.aliasName ?? 'live';
  Object.assign(t.Resources.FnAlias.Properties, options.alias ?? {});
  if (options.fnId) {
    t.Resources[options.fnId] = t.Resources.Fn;
    delete t.Resources.Fn;
    t.Resources = JSON.parse(JSON.stringify(t.Resources).replace(/"Fn"/g, `"${options.fnId}"`));
  }
  return t;
}

function diff(before: unknown, after: unknown): { code: number; findings: any[] } {
  return cliJson('diff', writeTemplate('deployed.json', before), writeTemplate('next.json', after));
}

describe('diff reports the hazards of a deployment', () => {
  test.each([
    ['(a) code and configuration change while a subscription invokes $LATEST', stack(), stack({ code: 'b', env: { ORDERS_TABLE: 'orders' } }), [MIXED], 1],
    ['(a) negative: the same change while the subscription invokes the alias', stack({ endpoint: { Ref: 'FnAlias' } }), stack({ code: 'b', env: { ORDERS_TABLE: 'orders' }, endpoint: { Ref: 'FnAlias' } }), [], 0],
    ['(a) negative: only the code changes', stack(), stack({ code: 'b' }), [], 0],
    ['(b) the version\'s logical ID changes while the function does not', stack({ versionId: 'FnVersionAAA' }), stack({ versionId: 'FnVersionBBB' }), [VERSION_EXISTS], 1],
    ['(b) negative: the version\'s logical ID changes with the code', stack({ versionId: 'FnVersionAAA', endpoint: { Ref: 'FnAlias' } }), stack({ versionId: 'FnVersionBBB', code: 'b', endpoint: { Ref: 'FnAlias' } }), [], 0],
    // the alias and the subscription that name the function are replaced with it (their FunctionName/Endpoint change)
    ['(c) the function\'s logical ID changes', stack(), stack({ fnId: 'OrdersFn' }), [REPLACEMENT, REPLACEMENT, 'SafeLambda-OverlapReplacement'], 0],
    ['(c) the alias is renamed', stack(), stack({ aliasName: 'prod' }), [REPLACEMENT], 0],
    ['(c) negative: nothing is replaced', stack(), stack(), [], 0],
    ['(d) an alias with routing weights meets provisioned concurrency', stack(), stack({
      alias: {
        RoutingConfig: { AdditionalVersionWeights: [{ FunctionVersion: '2', FunctionWeight: 0.1 }] },
        ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 },
      },
    }), [WEIGHTED], 1],
    ['(d) negative: provisioned concurrency without routing weights', stack(), stack({ alias: { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 } } }), [], 0],
  ])('GIVEN %s WHEN diffed THEN it reports the hazard', (_label, before, after, rules, code) => {
    // WHEN
    const result = diff(before, after);

    // THEN
    expect(result.findings.map((f) => f.ruleId)).toEqual(rules);
    expect(result.code).toBe(code);
  });

  test('GIVEN the mixed update WHEN diffed THEN the message lists the unqualified invoker and what changes', () => {
    const { findings } = diff(stack(), stack({ code: 'b', env: { ORDERS_TABLE: 'orders' } }));

    expect(findings[0].message).toMatch(/changes both the code \(Code\) and the configuration \(Environment\) of Fn, which is invoked unqualified by Binding \(Resources\.Binding\.Properties\.Endpoint\)/);
  });

  test('GIVEN a replacement (a warning) WHEN diffed with --fail-on warning THEN the exit code is 1', () => {
    expect(cli('diff', writeTemplate('a.json', stack()), writeTemplate('b.json', stack({ aliasName: 'prod' })), '--fail-on', 'warning').code).toBe(1);
  });
});

describe('diff on the seed scenario', () => {
  const seed = parseYamlTemplate(fs.readFileSync(SEED, 'utf8'), SEED) as any;
  /** The seed's one-line environment rename, plus a code change. */
  const renamed = (): any => {
    const next = JSON.parse(JSON.stringify(seed));
    next.Resources.OrdersFunction.Properties.Environment.Variables = { ORDERS_TABLE: 'orders' };
    next.Resources.OrdersFunction.Properties.InlineCode = 'exports.handler = async () => ({ statusCode: 201 });';
    return next;
  };

  test('GIVEN the SAM template as written WHEN the rename and a code change are diffed THEN hazard (a) names the HttpApi event as invoker', () => {
    const { code, findings } = diff(seed, renamed());

    expect(code).toBe(1);
    expect(findings.map((f) => f.ruleId)).toEqual([MIXED]);
    expect(findings[0].message).toMatch(/invoked unqualified by the HttpApi event Orders of OrdersFunction/);
  });

  test('GIVEN the templates translated by samtranslator WHEN diffed THEN hazard (a) names the HTTP API and its permission as invokers', () => {
    const { findings } = diff(samTranslate(seed), samTranslate(renamed()));

    expect(findings.map((f) => f.ruleId)).toEqual([MIXED]);
    expect(findings[0].message).toMatch(/ServerlessHttpApi \(Resources\.ServerlessHttpApi\.Properties\.Body/);
    expect(findings[0].message).toMatch(/OrdersFunctionOrdersPermission/);
  });

  test('GIVEN AutoPublishAlias WHEN the same change is diffed THEN nothing is reported', () => {
    const withAlias = (t: any) => {
      t.Resources.OrdersFunction.Properties.AutoPublishAlias = 'live';
      return t;
    };
    expect(diff(withAlias(JSON.parse(JSON.stringify(seed))), withAlias(renamed())).findings).toEqual([]);
  });

  test('GIVEN two cloud assemblies of a CDK app WHEN the rename and a code change are diffed THEN hazard (a) names the HTTP API integration', () => {
    // GIVEN
    const app = (env: Record<string, string>, code: string) => synthAssembly((a) => {
      const s = new Stack(a, 'Orders', { env: { account: '123456789012', region: 'us-east-1' } });
      const fn = new lambda.Function(s, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline(code), environment: env });
      new apigwv2.HttpApi(s, 'Api', { defaultIntegration: new apigwv2Integrations.HttpLambdaIntegration('Orders', fn) });
    });
    const before = app({ TABLE_NAME: 'orders' }, 'exports.handler = async () => 200;');
    const after = app({ ORDERS_TABLE: 'orders' }, 'exports.handler = async () => 201;');

    // WHEN
    const { code, findings } = cliJson('diff', before, after);

    // THEN
    expect(code).toBe(1);
    expect(findings.map((f) => [f.ruleId, f.stackName, f.constructPath])).toEqual([[MIXED, 'Orders', 'Orders/Fn/Resource']]);
    expect(findings[0].message).toMatch(/Orders\/Api\/DefaultRoute\/Orders\/Resource/);
  });
});

describe('diff honours suppressions as check does', () => {
  /** `template` with `Metadata['cdk-safe-lambda'].suppressions` set on resource `id`. */
  const suppressed = (template: any, id: string, ...suppressions: unknown[]): any => {
    template.Resources[id].Metadata = { ...template.Resources[id].Metadata, 'cdk-safe-lambda': { suppressions } };
    return template;
  };
  const mixed = () => stack({ code: 'b', env: { ORDERS_TABLE: 'orders' } });
  const weighted = () => stack({
    alias: {
      RoutingConfig: { AdditionalVersionWeights: [{ FunctionVersion: '2', FunctionWeight: 0.1 }] },
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 },
    },
  });
  const REASON = 'the queue is drained before every deploy';

  test.each([
    ['(a) on the function, by rule ID', true, MIXED, stack(), suppressed(mixed(), 'Fn', { ruleId: MIXED, reason: REASON })],
    ['(a) on the function, appliesTo naming the function', true, MIXED, stack(), suppressed(mixed(), 'Fn', { ruleId: MIXED, reason: REASON, appliesTo: ['Fn'] })],
    ['(a) on the function, appliesTo naming the property path', true, MIXED, stack(), suppressed(mixed(), 'Fn', { ruleId: MIXED, reason: REASON, appliesTo: ['Properties'] })],
    ['(a) on the function, for another rule', false, MIXED, stack(), suppressed(mixed(), 'Fn', { ruleId: VERSION_EXISTS, reason: REASON })],
    ['(a) on the function, appliesTo naming another path', false, MIXED, stack(), suppressed(mixed(), 'Fn', { ruleId: MIXED, reason: REASON, appliesTo: ['Properties.Code'] })],
    ['(a) in the deployed template only (the new one decides)', false, MIXED, suppressed(stack(), 'Fn', { ruleId: MIXED, reason: REASON }), mixed()],
    ['(b) on the new version', true, VERSION_EXISTS, stack({ versionId: 'FnVersionAAA' }), suppressed(stack({ versionId: 'FnVersionBBB' }), 'FnVersionBBB', { ruleId: VERSION_EXISTS, reason: REASON })],
    ['(c) on the renamed alias', true, REPLACEMENT, stack(), suppressed(stack({ aliasName: 'prod' }), 'FnAlias', { ruleId: REPLACEMENT, reason: REASON })],
    ['(d) on the alias', true, WEIGHTED, stack(), suppressed(weighted(), 'FnAlias', { ruleId: WEIGHTED, reason: REASON })],
  ])('GIVEN a suppression %s WHEN diffed THEN the hazard is reported with suppressed %s, and only an active error fails', (_label, isSuppressed, rule, before, after) => {
    // WHEN
    const { code, findings } = diff(before, after);

    // THEN
    expect(findings.map((f) => [f.ruleId, f.suppressed, f.suppressionReason])).toEqual([[rule, isSuppressed, isSuppressed ? REASON : undefined]]);
    const failsOnError = findings[0].level === 'error' && !isSuppressed;
    expect(code).toBe(failsOnError ? 1 : 0);
  });

  test('GIVEN a suppressed hazard WHEN diffed as text and as SARIF THEN text counts it as suppressed and SARIF carries the justification, as check does', () => {
    // GIVEN
    const before = writeTemplate('deployed.json', stack());
    const after = writeTemplate('next.json', suppressed(mixed(), 'Fn', { ruleId: MIXED, reason: REASON }));

    // WHEN
    const text = cli('diff', before, after);
    const sarif = JSON.parse(cli('diff', before, after, '--format', 'sarif').out);

    // THEN
    expect(text.out).toBe('cdk-safe-lambda diff: 0 error(s), 0 warning(s), 1 suppressed');
    expect(text.code).toBe(0);
    expect(sarif.runs[0].results).toEqual([expect.objectContaining({ ruleId: MIXED, suppressions: [{ kind: 'inSource', justification: REASON }] })]);
  });

  test('GIVEN the invoker\'s LatestBinding suppressed WHEN the mixed update is diffed THEN nothing invokes the function unqualified and (a) is not reported', () => {
    const after = suppressed(mixed(), 'Binding', { ruleId: 'SafeLambda-LatestBinding', reason: REASON });

    expect(diff(stack(), after)).toEqual({ code: 0, findings: [] });
  });

  test('GIVEN a suppression without a reason in the new template WHEN diffed THEN exit code 2 names where it is', () => {
    const result = cli('diff', writeTemplate('deployed.json', stack()), writeTemplate('next.json', suppressed(mixed(), 'Fn', { ruleId: MIXED })));

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/next\.json: Resources\.Fn\.Metadata\.cdk-safe-lambda\.suppressions\[0\] has no reason/);
  });

  test.each([
    ['template metadata on its CfnFunction', (fn: lambda.Function) => {
      (fn.node.defaultChild as lambda.CfnFunction).addMetadata('cdk-safe-lambda', { suppressions: [{ ruleId: MIXED, reason: REASON }] });
    }],
    ['an aws:cdk:acknowledged-rules entry on the construct (as aws-cdk-lib\'s acknowledgements write it)', (fn: lambda.Function) => {
      fn.node.addMetadata('aws:cdk:acknowledged-rules', { [MIXED]: REASON });
    }],
  ])('GIVEN a CDK app whose function carries the suppression as %s WHEN two assemblies are diffed THEN (a) is suppressed', (_how, suppress) => {
    // GIVEN
    const app = (env: Record<string, string>, code: string) => synthAssembly((a) => {
      const s = new Stack(a, 'Orders', { env: { account: '123456789012', region: 'us-east-1' } });
      const fn = new lambda.Function(s, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline(code), environment: env });
      suppress(fn);
      new apigwv2.HttpApi(s, 'Api', { defaultIntegration: new apigwv2Integrations.HttpLambdaIntegration('Orders', fn) });
    });

    // WHEN
    const { code, findings } = cliJson('diff', app({ TABLE_NAME: 'orders' }, 'exports.handler = async () => 200;'), app({ ORDERS_TABLE: 'orders' }, 'exports.handler = async () => 201;'));

    // THEN
    expect(findings.map((f) => [f.ruleId, f.constructPath, f.suppressed, f.suppressionReason])).toEqual([[MIXED, 'Orders/Fn/Resource', true, REASON]]);
    expect(code).toBe(0);
  });
});
