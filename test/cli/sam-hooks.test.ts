import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { cliJson, samTranslate, tempDir, writeTemplate } from './cli-helpers';
import { GuardedFunctions, GuardRules, NoLatestInvocations } from '../../src';
import { parseYamlTemplate } from '../../src/cli/private/yaml-reader';

const FIXTURE = path.join(__dirname, 'fixtures', 'sam-deployment-hooks.yaml');
const PRE_TRAFFIC = 'Properties.DeploymentPreference.Hooks.PreTraffic';
const BEFORE_HOOK = 'UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook';

/** The fixture (PreTraffic: `!Ref PreTrafficHook`, PostTraffic: `!Ref PostTrafficHook.Alias`), changed by `edit`. */
function fixture(edit: (t: any) => void = () => undefined): any {
  const t = parseYamlTemplate(fs.readFileSync(FIXTURE, 'utf8'), FIXTURE) as any;
  edit(t);
  return t;
}

/** `[ruleId, path, function]` of every active finding of `check` on `template`. */
function check(template: unknown): string[][] {
  return cliJson('check', writeTemplate('template.json', template)).findings
    .filter((f) => !f.suppressed)
    .map((f) => [f.ruleId, f.templatePath, f.functionId]);
}

/** `[ruleId, path, function]` of every finding of the construct guard on `translated`, included into a CDK stack. */
function guard(translated: unknown): string[][] {
  const app = new App({ outdir: tempDir() });
  const stack = new Stack(app, 'Stack');
  new cfninc.CfnInclude(stack, 'Sam', { templateFile: writeTemplate('translated.json', translated) });
  return NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL })
    .filter((f) => !f.suppressed)
    .map((f) => [f.ruleId, `Resources.${f.resourcePath.split('/').pop()}.${f.propertyPath}`, f.functionPath.split('/').pop()!]);
}

describe('check on SAM DeploymentPreference hooks', () => {
  test('GIVEN the fixture WHEN checked THEN only the PreTraffic hook, named by its bare name, is a LatestBinding, with the SAM fix', () => {
    // WHEN
    const { code, findings } = cliJson('check', FIXTURE);

    // THEN
    expect(code).toBe(1);
    expect(findings.map((f) => [f.ruleId, f.templatePath, f.functionId])).toEqual([[GuardRules.LATEST_BINDING, `Resources.Orders.${PRE_TRAFFIC}`, 'PreTrafficHook']]);
    expect(findings[0].message).toMatch(/binds Properties\.DeploymentPreference\.Hooks\.PreTraffic to the unqualified name of Resources\.PreTrafficHook/);
    expect(findings[0].message).toMatch(/Fix: name a published version of the hook: its alias \(`!Ref PreTrafficHook\.Alias`, with AutoPublishAlias set on PreTrafficHook\)/);
  });

  const HOOKS: Array<[string, unknown, string[]]> = [
    ['its bare name (`!Ref PreTrafficHook`)', { Ref: 'PreTrafficHook' }, [GuardRules.LATEST_BINDING]],
    ['its unqualified ARN (`!GetAtt PreTrafficHook.Arn`)', { 'Fn::GetAtt': ['PreTrafficHook', 'Arn'] }, [GuardRules.LATEST_BINDING]],
    ['its `:$LATEST` ARN', { 'Fn::Sub': '${PreTrafficHook.Arn}:$LATEST' }, [GuardRules.LATEST_BINDING]],
    ['the hook\'s AutoPublishAlias alias (`!Ref PostTrafficHook.Alias`)', { Ref: 'PostTrafficHook.Alias' }, []],
    ['the hook\'s name qualified by its alias (`${PostTrafficHook}:live`)', { 'Fn::Sub': '${PostTrafficHook}:live' }, []],
    ['a literal function name (nothing ties it to a function of the template)', 'CodeDeployHook_preTraffic', []],
  ];

  test.each(HOOKS)('GIVEN a PreTraffic hook that is %s WHEN checked as written, checked as translated by samtranslator, and guarded THEN all three agree', (_label, hook, rules) => {
    // GIVEN
    const written = fixture((t) => {
      t.Resources.Orders.Properties.DeploymentPreference.Hooks.PreTraffic = hook;
    });
    const translated = samTranslate(written);

    // WHEN
    const asWritten = check(written);
    const asTranslated = check(translated);
    const byGuard = guard(translated);

    // THEN the written form is reported where it is written, the translated form where SAM put it, as the guard does.
    const fn = 'PreTrafficHook';
    expect(asWritten).toEqual(rules.map((r) => [r, `Resources.Orders.${PRE_TRAFFIC}`, fn]));
    expect(asTranslated).toEqual(rules.map((r) => [r, `Resources.OrdersAliaslive.${BEFORE_HOOK}`, fn]));
    expect(byGuard).toEqual(asTranslated);
  });

  test.each([
    ['DeploymentPreference.Enabled is false (SAM writes no UpdatePolicy)', (t: any) => {
      t.Resources.Orders.Properties.DeploymentPreference.Enabled = false;
    }, []],
    ['AutoPublishAlias comes from Globals', (t: any) => {
      delete t.Resources.Orders.Properties.AutoPublishAlias;
      t.Globals = { Function: { AutoPublishAlias: 'live' } };
    }, [GuardRules.LATEST_BINDING]],
  ])('GIVEN %s WHEN checked as written and as translated THEN both report the same', (_label, edit, rules) => {
    // GIVEN
    const written = fixture(edit);

    // WHEN
    const asWritten = check(written);
    const asTranslated = check(samTranslate(written));

    // THEN
    expect(asWritten.map(([rule, , fn]) => [rule, fn])).toEqual(rules.map((r) => [r, 'PreTrafficHook']));
    expect(asTranslated.map(([rule, , fn]) => [rule, fn])).toEqual(asWritten.map(([rule, , fn]) => [rule, fn]));
  });

  test('GIVEN a suppression on the function for the hook\'s path WHEN checked THEN the hook finding is suppressed and the exit code is 0', () => {
    // GIVEN
    const written = fixture((t) => {
      t.Resources.Orders.Metadata = { 'cdk-safe-lambda': { suppressions: [{ ruleId: GuardRules.LATEST_BINDING, reason: 'the hook only reads', appliesTo: [PRE_TRAFFIC] }] } };
    });

    // WHEN
    const { code, findings } = cliJson('check', writeTemplate('template.json', written));

    // THEN
    expect(findings.map((f) => [f.templatePath, f.suppressed, f.suppressionReason])).toEqual([[`Resources.Orders.${PRE_TRAFFIC}`, true, 'the hook only reads']]);
    expect(code).toBe(0);
  });
});
