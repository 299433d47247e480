import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Aspects, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { HAS_VALIDATIONS, newApp, recordReports, REPORT_FILE, REPORT_IS_COMPLETE, reportText, synthError, unqualifiedRule } from './validation-helpers';
import { FailureMode, GuardedFunctions, GuardRules, GuardSuppressions, NoLatestInvocations, NoLatestInvocationsProps } from '../../src/guard';
import { SafeLambdaValidation, SafeLambdaValidationPlugin, SafeLambdaValidationReport } from '../../src/validation';
import { toLocation } from '../../src/validation/private/violations';

process.env.CDK_VALIDATION = 'false'; // no built-in CloudFormation rules in these tests

/**
 * The plugin's report for `app`, on any release: through aws-cdk-lib where its report is complete (2.278);
 * before it, addTo() also runs the guard as an aspect (which then reports instead), so the plugin is
 * called by hand, as aws-cdk-lib would, to see what it reports (issue #17 §5).
 */
function pluginReport(app: cdk.App, props: NoLatestInvocationsProps): SafeLambdaValidationReport {
  if (REPORT_IS_COMPLETE) {
    const reports = recordReports(SafeLambdaValidation.addTo(app, props));
    synthError(app);
    return reports[0];
  }
  app.synth();
  return new SafeLambdaValidationPlugin(props).validate({ templatePaths: [], appConstruct: app });
}

describe('the guard as a validation plugin', () => {
  test('a finding becomes one violation with the rule ID, the message, and the binding as its one violating resource; the permission it brought is named', () => {
    // GIVEN a plain function bound unqualified, guarded by the plugin (all functions)
    const app = newApp();
    const { rule } = unqualifiedRule(app);
    const permission = rule.node.findAll().find((c) => (c as cdk.CfnResource).cfnResourceType === 'AWS::Lambda::Permission') as cdk.CfnResource;

    // WHEN the plugin checks the app
    const report = pluginReport(app, { functions: GuardedFunctions.ALL });

    // THEN it reports a failure: one violation, the binding, with the permission the target brought in its
    // description and ruleMetadata (2.278 prints a violation once per violating resource: once, here)
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.ruleName)).toEqual([GuardRules.LATEST_BINDING]);
    const binding = report.violations[0];
    expect(binding.severity).toBe('error');
    expect(binding.description).toMatch(/SafeLambda-LatestBinding[\s\S]*binds[\s\S]*\$LATEST/);
    expect(binding.description).toContain(`${permission.node.path} (Properties.FunctionName, ${GuardRules.LATEST_PERMISSION})`);
    expect(binding.ruleMetadata).toEqual({ relatedResources: `${permission.node.path} (Properties.FunctionName, ${GuardRules.LATEST_PERMISSION})` });
    expect(binding.violatingResources).toEqual([{
      resourceLogicalId: cdk.Stack.of(rule).resolve((rule.node.defaultChild as cdk.CfnResource).logicalId),
      templatePath: path.join(app.outdir, 'Stack.template.json'),
      constructPath: 'Stack/Rule/Resource',
      locations: ['Properties/Targets/0/Arn'],
    }]);
  });

  test('GIVEN addTo() and an unqualified binding WHEN the app synthesizes THEN synthesis fails on every release, with the finding once', () => {
    // GIVEN the plugin on the App, guarding all functions
    const app = newApp();
    unqualifiedRule(app);
    const reports = recordReports(SafeLambdaValidation.addTo(app, { functions: GuardedFunctions.ALL }));

    // WHEN the app synthesizes
    const error = synthError(app);

    // THEN app.synth() throws: from the report on 2.278, from the guard's aspect before it (where a failed
    // report only sets the exit code: adding the plugin never weakens the failure)
    expect(error?.message).toMatch(/SafeLambda-LatestBinding/);
    if (REPORT_IS_COMPLETE) {
      expect(reports.map((r) => r.violations.length)).toEqual([1]);
      expect(JSON.parse(reportText(app)).pluginReports[0]).toMatchObject({ pluginName: 'SafeLambda', conclusion: 'failure' });
    } else {
      expect(reports).toHaveLength(0);
      expect(fs.existsSync(path.join(app.outdir, REPORT_FILE))).toBe(false);
    }
  });

  test.each([
    ['a durable function', 'DurableConfig', { ExecutionTimeout: 3600 }, {}, GuardRules.DURABLE_LATEST, 'error'],
    ['a SnapStart function', 'SnapStart', { ApplyOn: 'PublishedVersions' }, {}, GuardRules.SNAP_START_LATEST, 'error'],
    ['a Managed Instances function', 'CapacityProviderConfig',
      { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: 'arn:aws:lambda:us-east-1:111111111111:capacity-provider:cp' } },
      { functions: GuardedFunctions.ALL }, GuardRules.LATEST_PUBLISHED, 'warning'],
  ])('%s bound unqualified is reported with its own rule, on any aws-cdk-lib', (_name, property, value, props, ruleId, severity) => {
    // GIVEN a plain function with the feature (a raw override: no typed prop needed) bound unqualified
    const app = newApp();
    const { fn } = unqualifiedRule(app);
    (fn.node.defaultChild as cdk.CfnResource).addPropertyOverride(property, value);
    const reports = [pluginReport(app, props)];

    // THEN the feature's rule is reported at the rule's target, with its severity
    const violation = reports[0].violations.find((v) => v.ruleName === ruleId);
    expect(violation?.severity).toBe(severity);
    expect(violation?.violatingResources[0].constructPath).toBe('Stack/Rule/Resource');
  });

  test('an app whose functions are bound qualified passes', () => {
    // GIVEN a function bound through an alias
    const app = newApp();
    const stack = new cdk.Stack(app, 'Stack');
    const { fn } = unqualifiedRule(new Stage(app, 'Unused'), 'Other');
    void fn;
    const reports = recordReports(SafeLambdaValidation.addTo(stack));

    // WHEN it synthesizes with the default options (SafeFunctions only)
    const error = synthError(app);

    // THEN the plugin reports success and no violation
    expect(error).toBeUndefined();
    expect(reports.every((r) => r.success && r.violations.length === 0)).toBe(true);
  });

  test('GIVEN the permission suppressed with GuardSuppressions WHEN the app synthesizes THEN the binding is an error and the permission is listed apart as suppressed (info)', () => {
    // GIVEN the permission finding suppressed with GuardSuppressions
    const app = newApp();
    const { rule } = unqualifiedRule(app);
    GuardSuppressions.add(rule, { ruleId: GuardRules.LATEST_PERMISSION, reason: 'checked by hand' });
    const reports = [pluginReport(app, { functions: GuardedFunctions.ALL })];

    // THEN the binding fails the report alone; the permission stays visible, as suppressed
    expect(reports[0].success).toBe(false);
    expect(reports[0].violations.map((v) => [v.ruleName, v.severity, v.violatingResources.length, v.ruleMetadata])).toEqual([
      [GuardRules.LATEST_BINDING, 'error', 1, undefined],
      [GuardRules.LATEST_PERMISSION, 'info', 1, { suppressed: 'true', suppressionReason: 'checked by hand' }],
    ]);
    expect(reports[0].violations[1].description).toMatch(/^\[suppressed: checked by hand\] \[?SafeLambda-LatestPermission/);
  });

  test('GIVEN the binding suppressed with GuardSuppressions WHEN the app synthesizes THEN the report succeeds and lists the whole integration as suppressed (info)', () => {
    // GIVEN the binding finding suppressed, which covers the permission its target brought
    const app = newApp();
    const { rule } = unqualifiedRule(app);
    GuardSuppressions.add(rule, { ruleId: GuardRules.LATEST_BINDING, reason: 'the rule is deleted next release' });
    const reports = [pluginReport(app, { functions: GuardedFunctions.ALL })];
    const error = synthError(app);

    // THEN one info violation at the binding (its permission named in ruleMetadata), and no failure
    expect(error).toBeUndefined();
    expect(reports[0].success).toBe(true);
    expect(reports[0].violations.map((v) => [v.ruleName, v.severity, v.violatingResources.map((r) => r.locations[0])])).toEqual([
      [GuardRules.LATEST_BINDING, 'info', ['Properties/Targets/0/Arn']],
    ]);
  });

  test('FailureMode.WARNING makes the violations warnings and the report a success', () => {
    // GIVEN the plugin in warning mode
    const app = newApp();
    unqualifiedRule(app);
    const reports = [pluginReport(app, { functions: GuardedFunctions.ALL, failureMode: FailureMode.WARNING })];
    const error = synthError(app);

    // THEN synthesis succeeds and the finding (the binding, its permission named) is a warning
    expect(error).toBeUndefined();
    expect(reports[0].success).toBe(true);
    expect(reports[0].violations.map((v) => [v.severity, v.violatingResources.length])).toEqual([['warning', 1]]);
  });

  test.each([
    ['with the plugin\'s namespace', 'SafeLambda::'],
    ['without a namespace', ''],
  ])('Validations.of(scope).acknowledge() %s suppresses a violation where aws-cdk-lib has it', (_name, prefix) => {
    // GIVEN both findings acknowledged on the rule
    const app = newApp();
    const { rule } = unqualifiedRule(app);
    const reports = recordReports(SafeLambdaValidation.addTo(app, { functions: GuardedFunctions.ALL }));
    const Validations = (cdk as any).Validations;
    if (HAS_VALIDATIONS) {
      Validations.of(rule).acknowledge(
        { id: `${prefix}${GuardRules.LATEST_BINDING}`, reason: 'the rule is deleted next release' },
        { id: `${prefix}${GuardRules.LATEST_PERMISSION}`, reason: 'the rule is deleted next release' },
      );
      // WHEN the app synthesizes
      const error = synthError(app);
      // THEN synthesis succeeds: the acknowledgement is stored as aws:cdk:acknowledged-rules metadata,
      // which the guard's engine reads as a suppression, so the plugin lists the finding as suppressed (info)
      expect(error).toBeUndefined();
      // (2.255 keeps one growing entry and writes `annotation::`, 2.278 one entry per call and `Annotation::`)
      const acknowledged = new Set(rule.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').flatMap((m) => Object.keys(m.data)));
      expect([...acknowledged].map((id) => id.replace(/^annotation::/i, 'Annotation::')).sort())
        .toEqual([`${prefix || 'Annotation::'}${GuardRules.LATEST_BINDING}`, `${prefix || 'Annotation::'}${GuardRules.LATEST_PERMISSION}`]);
      if (!REPORT_IS_COMPLETE) {
        // before 2.278 the guard's aspect lists it as suppressed, an info annotation (2.255's report drops
        // every acknowledged violation of a rule app-wide, unlisted)
        expect(reports.flatMap((r) => r.violations)).toEqual([]);
        expect(rule.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:info').map((m) => String(m.data)))
          .toEqual([expect.stringMatching(/^\[suppressed: the rule is deleted next release\] \[?SafeLambda-LatestBinding/)]);
        return;
      }
      expect(reports[0].success).toBe(true);
      expect(reports[0].violations.map((v) => [v.ruleName, v.severity, v.ruleMetadata?.suppressionReason])).toEqual([
        [GuardRules.LATEST_BINDING, 'info', 'the rule is deleted next release'],
      ]);
      // AND the report file lists it once, at the binding: with the plugin's namespace aws-cdk-lib matches the
      // acknowledgement and files it under the suppressed violations; without one (an `Annotation::` ID) it
      // stays an info violation, which fails nothing
      const report = JSON.parse(reportText(app)).pluginReports[0];
      const listed = prefix ? report.suppressedViolations : report.violations;
      expect(report.conclusion).toBe('success');
      expect((prefix ? report.violations : report.suppressedViolations) ?? []).toEqual([]);
      expect(listed.map((v: any) => [v.ruleName, v.severity, v.violatingConstructs.map((c: any) => c.constructPath)])).toEqual([
        [GuardRules.LATEST_BINDING, 'info', ['Stack/Rule/Resource']],
      ]);
    } else {
      // THEN on the floor there is no acknowledge(): GuardSuppressions is the way (see the test above)
      expect(Validations).toBeUndefined();
      expect(rule.node.metadata.some((m) => m.type === 'aws:cdk:acknowledged-rules')).toBe(false);
    }
  });

  test('the aspect honours Validations.of(scope).acknowledge() like the plugin', () => {
    // GIVEN the error aspect and both findings acknowledged (where aws-cdk-lib can)
    const app = newApp();
    const { rule } = unqualifiedRule(app);
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
    if (HAS_VALIDATIONS) {
      (cdk as any).Validations.of(rule).acknowledge(
        { id: `SafeLambda::${GuardRules.LATEST_BINDING}`, reason: 'known' },
        { id: GuardRules.LATEST_PERMISSION, reason: 'known' },
      );
      // THEN synthesis succeeds
      expect(synthError(app)).toBeUndefined();
    } else {
      // THEN on the floor the aspect fails synthesis: there is nothing to acknowledge with
      expect(synthError(app)?.message).toMatch(/SafeLambda-LatestBinding/);
    }
  });

  test('an acknowledgement recorded as aws:cdk:acknowledged-rules metadata suppresses on any aws-cdk-lib', () => {
    // GIVEN the metadata Validations.acknowledge() writes, written by hand (the floor has no acknowledge())
    const app = newApp();
    const { rule } = unqualifiedRule(app);
    rule.node.addMetadata('aws:cdk:acknowledged-rules', { [`SafeLambda::${GuardRules.LATEST_BINDING}`]: 'known' });
    // WHEN the plugin checks the app
    const reports = [pluginReport(app, { functions: GuardedFunctions.ALL })];
    // THEN the binding's acknowledgement covers the permission its target brought: one suppressed (info) violation
    expect(reports[0].success).toBe(true);
    expect(reports[0].violations.map((v) => [v.ruleName, v.severity, v.violatingResources.length, v.ruleMetadata])).toEqual([
      [GuardRules.LATEST_BINDING, 'info', 1, expect.objectContaining({ suppressed: 'true', suppressionReason: 'known' })],
    ]);
  });

  test('a plugin on the App covers the stacks of a nested Stage', () => {
    // GIVEN unqualified bindings in the App and in a nested Stage, and the plugin on the App only
    const app = newApp();
    unqualifiedRule(app);
    unqualifiedRule(new Stage(app, 'Prod'));
    const reports = [pluginReport(app, { functions: GuardedFunctions.ALL })];

    // THEN the nested Stage's findings are reported, with its template in the nested assembly
    const nested = reports[0].violations.filter((v) => v.violatingResources[0].constructPath!.startsWith('Prod/'));
    expect(nested.map((v) => v.ruleName)).toEqual([GuardRules.LATEST_BINDING]);
    expect(nested[0].violatingResources.map((r) => r.templatePath)).toEqual([
      expect.stringMatching(/(^|\/)assembly-Prod\/ProdStack[0-9A-F]{8}\.template\.json$/),
    ]);
    expect(reports[0].violations).toHaveLength(2);
  });

  test('plugins on the App and on a nested Stage report each finding once, the nearest Stage\'s plugin with its options', () => {
    // GIVEN a plugin on the App (errors) and one on the nested Stage (warnings)
    const app = newApp();
    unqualifiedRule(app);
    const prod = new Stage(app, 'Prod');
    unqualifiedRule(prod);
    const appReports = recordReports(SafeLambdaValidation.addTo(app, { functions: GuardedFunctions.ALL }));
    const prodReports = recordReports(SafeLambdaValidation.addTo(prod, { functions: GuardedFunctions.ALL, failureMode: FailureMode.WARNING }));

    // WHEN the app synthesizes
    const error = synthError(app);

    if (!REPORT_IS_COMPLETE) {
      // THEN before 2.278 the guards run as aspects beside the plugins, each Stage with its own plugin's
      // options: the App's finding fails synthesis, the nested Stage's is a warning (not the App's error)
      expect(error?.message).toMatch(/SafeLambda-LatestBinding/);
      expect(error!.message).not.toMatch(/Prod\//);
      const prodWarnings = prod.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning');
      expect(prodWarnings.map((m) => String(m.data))).toEqual([expect.stringMatching(/SafeLambda-LatestBinding/)]);
      expect(appReports.concat(prodReports).flatMap((r) => r.violations)).toEqual([]);
      return;
    }
    // THEN each finding appears in exactly one report
    const appPaths = appReports.flatMap((r) => r.violations.map((v) => v.violatingResources[0].constructPath));
    const prodPaths = prodReports.flatMap((r) => r.violations.map((v) => v.violatingResources[0].constructPath));
    expect(appPaths.every((p) => !p!.startsWith('Prod/'))).toBe(true);
    expect(appPaths).toEqual(['Stack/Rule/Resource']);
    expect(prodPaths).toEqual(['Prod/Stack/Rule/Resource']);
    expect(prodReports.flatMap((r) => r.violations.map((v) => v.severity))).toEqual(['warning']);
  });

  test('with a warning aspect beside it, a finding is reported once (by the aspect)', () => {
    // GIVEN the aspect in warning mode and the plugin, both guarding all functions
    const app = newApp();
    const { rule } = unqualifiedRule(app);
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL, failureMode: FailureMode.WARNING }));
    const reports = recordReports(SafeLambdaValidation.addTo(app, { functions: GuardedFunctions.ALL }));

    // WHEN the app synthesizes
    const error = synthError(app);

    // THEN the aspect warned on the resource and the plugin left those findings out
    expect(error).toBeUndefined();
    Annotations.fromStack(rule.stack).hasWarning('/Stack/Rule/Resource', Match.stringLikeRegexp('SafeLambda-LatestBinding'));
    expect(reports[0].violations).toEqual([]);
  });

  test('with an error aspect beside it, synthesis fails on the aspect\'s error and the plugin never runs', () => {
    // GIVEN the aspect in error mode and the plugin
    const app = newApp();
    unqualifiedRule(app);
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
    const reports = recordReports(SafeLambdaValidation.addTo(app, { functions: GuardedFunctions.ALL }));

    // WHEN the app synthesizes
    const error = synthError(app);

    // THEN the finding comes once, from the aspect's validation error
    expect(error?.message).toMatch(/SafeLambda-LatestBinding/);
    // (one error at the resource: the aspect beside the plugin, before 2.278, is the same check, not a second one)
    expect(error!.message.match(/^\s*\[Stack\/Rule\/Resource\]/gm)).toHaveLength(1);
    expect(reports).toHaveLength(0);
  });

  test('addTo() outside any App or Stage names the scope and the fix', () => {
    // GIVEN a construct tree without an App
    const orphan = new Construct(undefined as any, 'Orphan');
    // THEN addTo refuses it
    expect(() => SafeLambdaValidation.addTo(orphan)).toThrow(/'Orphan' is in no App or Stage. Pass an App, a Stage/);
  });

  test('addTo() registers once per Stage', () => {
    // GIVEN addTo called twice on the same App
    const app = newApp();
    const first = SafeLambdaValidation.addTo(app);
    // THEN the second call returns the first plugin
    expect(SafeLambdaValidation.addTo(app, { functions: GuardedFunctions.ALL })).toBe(first);
  });

  test.each([
    ['functions', { functions: 'EVERYTHING' as any }, /unknown functions 'EVERYTHING'/],
    ['failureMode', { failureMode: 'LOUD' as any }, /unknown failureMode 'LOUD'/],
  ])('an unknown %s is refused when the plugin is made', (_name, props, message) => {
    // THEN the plugin fails like the aspect does
    expect(() => new SafeLambdaValidationPlugin(props)).toThrow(message);
  });

  test('a plugin made by hand without the tree fails with the fix', () => {
    // GIVEN a plugin with no scope, called by an aws-cdk-lib that passes no appConstruct
    const plugin = new SafeLambdaValidationPlugin();
    // THEN it names the fix
    expect(() => plugin.validate({ templatePaths: [] })).toThrow(/SafeLambdaValidation.addTo\(app\)/);
  });

  test('a plugin made by hand reports what is in the templates it is given', () => {
    // GIVEN a plugin without scope, given the tree and one template
    const app = newApp();
    unqualifiedRule(app);
    const assembly = app.synth();
    const plugin = new SafeLambdaValidationPlugin({ functions: GuardedFunctions.ALL });
    // WHEN it validates the stack's template, then no template of this app
    const inStack = plugin.validate({ templatePaths: [path.join(assembly.directory, 'Stack.template.json')], appConstruct: app });
    const elsewhere = plugin.validate({ templatePaths: ['/nowhere/Other.template.json'], appConstruct: app });
    // THEN the finding (the binding, its permission named) is reported for the stack's template only
    expect(inStack.violations.map((v) => v.violatingResources.length)).toEqual([1]);
    expect(elsewhere.violations).toHaveLength(0);
  });

  test.each([
    ['Properties.Targets[0].Arn', 'Properties/Targets/0/Arn'],
    ['Properties.FunctionName', 'Properties/FunctionName'],
    ['UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook', 'UpdatePolicy/CodeDeployLambdaAliasUpdate/BeforeAllowTrafficHook'],
  ])('the property path %s is reported at %s', (propertyPath, location) => {
    expect(toLocation(propertyPath)).toBe(location);
  });
});
