import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SafeLambdaValidationPlugin, SafeLambdaValidationReport } from '../../src/validation';

/** Whether the aws-cdk-lib under test has `Validations` (2.251.0 and later): the report file and acknowledgements. */
export const HAS_VALIDATIONS = typeof (cdk as any).Validations?.of === 'function';

/** The report file of the aws-cdk-lib under test (the floor writes it only with `@aws-cdk/core:validationReportJson`). */
export const REPORT_FILE = HAS_VALIDATIONS ? 'validation-report.json' : 'policy-validation-report.json';

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
