import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EXTRA_CASES } from './extra-cases';
import { bindingFinding, findingsFor, findingsOf, guardedStack, newApp, resourcesBinding } from './guard-helpers';
import { ENV, safeFunction } from './guard-test-app';
import { GuardRules, SafeFunction } from '../../src';
import { INTEGRATION_CASES, IntegrationCase } from '../fixtures/integrations';

/**
 * One block per row of the integration matrix (/work/shared/reference/integration-matrix.md,
 * sections 3 and 4): every integration bound to a SafeFunction, its alias or its version passes the
 * guard; bound to the unqualified inner function it is refused at the property that carries it;
 * references the guard deliberately ignores stay unreported.
 */
const CASES: IntegrationCase[] = [...INTEGRATION_CASES, ...EXTRA_CASES];
const ROWS = [...new Set(CASES.map(c => c.row))].sort((a, b) => a - b);

/** The three qualified ways of handing a SafeFunction to an integration. */
const COMPLIANT_TARGETS: Array<[string, (fn: SafeFunction) => lambda.IFunction]> = [
  ['the SafeFunction itself', fn => fn],
  ['its live alias', fn => fn.live],
  ['its currentVersion', fn => fn.currentVersion],
];

/** Combinations aws-cdk-lib itself refuses while building, so there is nothing for the guard to judge. */
const REFUSED_BY_CDK: Record<string, { target: string; error: RegExp }> = {
  'lambda.FunctionUrl': { target: 'its currentVersion', error: /FunctionUrl cannot be used with a Version/ },
  'lambda.IFunction.addFunctionUrl': { target: 'its currentVersion', error: /FunctionUrl cannot be used with a Version/ },
  'cloudfront_origins.FunctionUrlOrigin': { target: 'its currentVersion', error: /FunctionUrl cannot be used with a Version/ },
};

/** Rules of what may join a refused binding's finding: the Permission or IAM grant the integration adds on the same function. */
const COMPANION_RULES: string[] = [GuardRules.LATEST_PERMISSION, GuardRules.LATEST_GRANT];

describe.each(ROWS)('matrix row %i', (row) => {
  const cases = CASES.filter(c => c.row === row);

  describe.each(cases.map(c => [c.name, c] as const))('%s', (_name, c) => {
    test.each(COMPLIANT_TARGETS)('GIVEN a SafeFunction WHEN bound through %s THEN the guard reports nothing', (label, pick) => {
      const { stack, fn } = guardedStack();
      const refused = REFUSED_BY_CDK[c.name];
      if (refused?.target === label) {
        // THEN aws-cdk-lib refuses the combination before the guard could see it.
        expect(() => c.bind(stack, pick(fn))).toThrow(refused.error);
        return;
      }
      c.bind(stack, pick(fn));

      expect(findingsOf(stack)).toEqual([]);
    });

    if (c.guardIgnores) {
      test('GIVEN the unqualified inner function WHEN bound THEN the guard ignores this reference (not an invocation through $LATEST)', () => {
        const { stack, fn } = guardedStack();
        c.bind(stack, fn.function);

        expect(findingsOf(stack)).toEqual([]);
      });
    } else {
      test(`GIVEN the unqualified inner function WHEN bound THEN ${GuardRules.LATEST_BINDING} names ${c.resourceType} at ${c.propertyPath}`, () => {
        const { stack, fn } = guardedStack();
        c.bind(stack, fn.function);

        // Sorted by path, like findingsOf: one finding per resource that carries the binding.
        const expected = resourcesBinding(stack, c.resourceType, c.propertyPath, fn.function)
          .sort((a, b) => a.node.path.localeCompare(b.node.path));
        expect(expected.length).toBeGreaterThan(0);
        expect(findingsFor(GuardRules.LATEST_BINDING, stack)).toEqual(expected.map(r => bindingFinding(r, c.propertyPath, fn)));
        // Nothing else is reported: the Permission or grant the integration added on the same function is
        // part of the binding's finding (see grouping.test.ts).
        expect(findingsOf(stack).filter(f => f.ruleId !== GuardRules.LATEST_BINDING)).toEqual([]);
        for (const related of findingsOf(stack).flatMap(f => f.relatedResources ?? [])) {
          expect(COMPANION_RULES).toContain(related.ruleId);
        }
      });
    }
  });
});

/** A few rows end to end: `app.synth()` throws on the refused binding and succeeds on the alias. */
const END_TO_END = [
  'apigateway.LambdaIntegration', // Fn::Join around the ARN
  'lambda_event_sources.SqsEventSource', // function name
  'lambda.FunctionUrl', // separate Qualifier property
  'stepfunctions_tasks.LambdaInvoke (JSONPath)', // ARN inside a JSON document
  'codedeploy.LambdaDeploymentGroup preHook', // pre-resolved UpdatePolicy
  'sns.CfnTopic Subscription', // L1 only
];

describe.each(END_TO_END)('end to end: %s', (name) => {
  const c = CASES.find(x => x.name === name)!;

  function appWith(pick: (fn: SafeFunction) => lambda.IFunction): App {
    const app = newApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    c.bind(stack, pick(safeFunction(stack)));
    return app;
  }

  test('GIVEN the unqualified inner function WHEN the app is synthesized THEN synthesis fails with the binding rule', () => {
    const app = appWith(fn => fn.function);

    expect(() => app.synth()).toThrow(new RegExp(GuardRules.LATEST_BINDING));
  });

  test('GIVEN the SafeFunction itself WHEN the app is synthesized THEN synthesis succeeds', () => {
    const app = appWith(fn => fn);

    expect(() => app.synth()).not.toThrow();
  });
});
