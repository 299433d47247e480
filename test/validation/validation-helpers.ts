import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { SafeLambdaValidationPlugin, SafeLambdaValidationReport } from '../../src/validation';

/** Whether the aws-cdk-lib under test has `Validations` (2.251.0 and later): the report file and acknowledgements. */
export const HAS_VALIDATIONS = typeof (cdk as any).Validations?.of === 'function';

/**
 * Whether the aws-cdk-lib under test has 2.278's report (app modes): it lists every plugin with violations,
 * acknowledged ones apart, and a failure throws in-memory. Before it, the guard keeps reporting as an
 * aspect beside the plugin (issue #17 §5).
 */
export const REPORT_IS_COMPLETE = typeof (cxapi as any).CDK_APP_MODE_CONTEXT === 'string';

/** The report file of the aws-cdk-lib under test (before 2.278 written only with `@aws-cdk/core:validationReportJson`). */
export const REPORT_FILE = REPORT_IS_COMPLETE ? 'validation-report.json' : 'policy-validation-report.json';

export function newApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:validationReportJson': true } });
}

/** A plain function bound unqualified to an EventBridge rule (a LatestBinding and a LatestPermission). */
export function unqualifiedRule(scope: Construct, id = 'Stack'): { stack: Stack; fn: lambda.Function; rule: events.Rule } {
  const stack = new Stack(scope, id);
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  const rule = new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn)] });
  return { stack, fn, rule };
}

/** Records each report a plugin returns to aws-cdk-lib. */
export function recordReports(plugin: SafeLambdaValidationPlugin): SafeLambdaValidationReport[] {
  const reports: SafeLambdaValidationReport[] = [];
  const validate = plugin.validate.bind(plugin);
  (plugin as any).validate = (context: any) => {
    const report = validate(context);
    // A copy: aws-cdk-lib edits the report it gets (relative template paths, acknowledged violations removed).
    reports.push(JSON.parse(JSON.stringify(report)));
    return report;
  };
  return reports;
}

/** Synthesizes; returns the error aws-cdk-lib throws (the newest throws on a failed validation, the floor does not). */
export function synthError(app: App): Error | undefined {
  try {
    app.synth();
    return undefined;
  } catch (e) {
    return e as Error;
  } finally {
    // The floor's failed validation sets the exit code of the process: not this test run's.
    process.exitCode = 0;
  }
}

export function reportText(app: App): string {
  const file = path.join(app.outdir, REPORT_FILE);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** Where a user sees something of the guard: the report file, or an annotation `cdk synth` prints. */
export interface Seen {
  readonly channel: 'report' | 'suppressed in report' | 'annotation';
  readonly ruleId: string;
  readonly level: string;
  readonly path: string;
  readonly text: string;
}

/** Everything of the guard a user sees after `app.synth()`: the report file's violations and the tree's annotations. */
export function seenByUser(app: App): Seen[] {
  const seen: Seen[] = [];
  const text = reportText(app);
  for (const plugin of text ? JSON.parse(text).pluginReports ?? [] : []) {
    const pluginName = plugin.pluginName ?? plugin.summary?.pluginName;
    if (pluginName !== 'SafeLambda') {
      continue;
    }
    const listed = [
      ...(plugin.violations ?? []).map((v: any) => ['report', v]),
      ...(plugin.suppressedViolations ?? []).map((v: any) => ['suppressed in report', v]),
    ];
    for (const [channel, v] of listed) {
      for (const c of v.violatingConstructs ?? v.violatingResources ?? []) {
        seen.push({ channel, ruleId: v.ruleName, level: v.severity, path: c.constructPath, text: v.description });
      }
    }
  }
  for (const c of app.node.findAll()) {
    for (const m of c.node.metadata) {
      const data = String(m.data);
      const rule = /SafeLambda-[A-Za-z]+/.exec(data)?.[0];
      if (rule && ['aws:cdk:warning', 'aws:cdk:info', 'aws:cdk:error'].includes(m.type)) {
        seen.push({ channel: 'annotation', ruleId: rule, level: m.type.replace('aws:cdk:', ''), path: c.node.path, text: data });
      }
    }
  }
  return seen;
}
