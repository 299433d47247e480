import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newApp, recordReports, REPORT_IS_COMPLETE, synthError } from './validation-helpers';
import { GuardRules, SafeFunction } from '../../src';
import { SafeLambdaValidation } from '../../src/validation';

process.env.CDK_VALIDATION = 'false';

// Issue #12: with the plugin registered, a SafeFunction's automatic guard leaves its findings to the
// plugin, so they land in the validation report (and `cdk validate`), once.
describe('the automatic guard beside the plugin', () => {
  function app(withPlugin: boolean) {
    const a = newApp();
    const stack = new Stack(a, 'Stack');
    const fn = new SafeFunction(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn.function)] });
    const reports = withPlugin ? recordReports(SafeLambdaValidation.addTo(a)) : [];
    return { a, stack, reports };
  }

  test('GIVEN no plugin WHEN synthesizing THEN the automatic guard fails synthesis', () => {
    const { a } = app(false);
    expect(() => a.synth()).toThrow(/\[SafeLambda-LatestBinding\]/);
  });

  test('GIVEN the plugin WHEN synthesizing THEN synthesis fails and the finding is reported once: in the report on 2.278, by the guard before it', () => {
    // GIVEN / WHEN
    const { a, stack, reports } = app(true);
    const error = synthError(a);

    // THEN adding the plugin never weakens the failure (issue #17 §5)
    expect(error?.message).toMatch(/SafeLambda-LatestBinding/);
    const annotations = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => String(m.data).includes('SafeLambda-Latest'));
    if (REPORT_IS_COMPLETE) {
      // the plugin reported the binding once (its permission named), the automatic guard left it to the report
      expect(error!.message).not.toMatch(/Validation failed with the following errors/);
      expect(reports).toHaveLength(1);
      expect(reports[0].violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)])).toEqual([
        [GuardRules.LATEST_BINDING, ['Stack/Rule/Resource']],
      ]);
      // AND the aspect left no annotation of its own (read from the tree: Annotations.fromStack would
      // synthesize again, and the plugin fail again)
      expect(annotations).toEqual([]);
    } else {
      // before it, a failed report only sets the exit code (app.synth() returns): the automatic guard keeps
      // its error, which fails synthesis before any plugin runs
      expect(error!.message).toMatch(/Validation failed with the following errors/);
      expect(reports).toHaveLength(0);
    }
  });
});
