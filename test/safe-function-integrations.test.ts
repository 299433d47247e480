import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SafeFunction } from '../src';
import { INTEGRATION_CASES, IntegrationCase } from './fixtures/integrations';
import { newStack, plainFunctionProps, RECOGNIZE_LAYERS } from './fixtures/stacks';
import { referencesLogicalId, valuesAt } from './fixtures/template-paths';

interface Bound {
  readonly template: Template;
  readonly aliasId: string;
  readonly functionId: string;
}

const boundCache = new Map<IntegrationCase, Bound>();

/** Builds `integration` in a fresh stack, bound to a SafeFunction (once per case: synth is slow). */
function bindSafeFunction(integration: IntegrationCase): Bound {
  const cached = boundCache.get(integration);
  if (cached) {
    return cached;
  }
  const stack = newStack();
  const safeFn = new SafeFunction(stack, 'Fn', plainFunctionProps());
  integration.bind(stack, safeFn);
  const bound = {
    template: Template.fromStack(stack),
    aliasId: stack.getLogicalId(safeFn.live.node.defaultChild as CfnElement),
    functionId: stack.getLogicalId(safeFn.function.node.defaultChild as CfnElement),
  };
  boundCache.set(integration, bound);
  return bound;
}

/** What the binding must look like when it binds the alias, for each form. */
function expectBindsAlias(value: unknown, integration: IntegrationCase, { aliasId, functionId }: Bound): void {
  const aliasArn = { Ref: aliasId };
  switch (integration.form ?? 'arn') {
    case 'arn':
      expect(value).toEqual(aliasArn);
      break;
    case 'name':
      // `function:live`, built from the alias ARN as lambda.Alias builds its functionName.
      expect(value).toEqual({
        'Fn::Join': ['', [{ 'Fn::Select': [6, { 'Fn::Split': [':', aliasArn] }] }, ':live']],
      });
      break;
    case 'embedded':
      expect(value).toEqual({ 'Fn::Join': ['', expect.arrayContaining([aliasArn])] });
      break;
    case 'qualifier':
      // The function URL names the unqualified function and puts the alias in `Qualifier`.
      expect(value).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
      break;
  }
}

describe('every integration binds the live alias of a SafeFunction', () => {
  test.each(INTEGRATION_CASES.map((c) => [`${c.name} (row ${c.row})`, c] as const))(
    '%s binds the alias at the documented property path',
    (_name, integration) => {
      // GIVEN
      const bound = bindSafeFunction(integration);

      // WHEN
      const bindings = Object.values(valuesAt(bound.template, integration.resourceType, integration.propertyPath));

      // THEN
      expect(bindings.length).toBeGreaterThan(0);
      for (const value of bindings) {
        expectBindsAlias(value, integration, bound);
        if (integration.form !== 'qualifier') {
          expect(referencesLogicalId(value, bound.functionId)).toBe(false);
        }
      }
    },
  );

  const qualified = INTEGRATION_CASES.filter((c) => c.form === 'qualifier');
  test.each(qualified.map((c) => [c.name, c] as const))(
    '%s carries the alias name in its qualifier property',
    (_name, integration) => {
      // GIVEN
      const bound = bindSafeFunction(integration);

      // WHEN
      const qualifiers = Object.values(valuesAt(bound.template, integration.resourceType, integration.qualifierPath!));

      // THEN
      expect(qualifiers).toEqual(['live']);
    },
  );

  test.each(INTEGRATION_CASES.map((c) => [c.name, c] as const))(
    '%s leaves the unqualified function referenced only by the version, the alias and function URLs',
    (_name, integration) => {
      // GIVEN
      const bound = bindSafeFunction(integration);

      // WHEN
      const referencing = Object.entries(bound.template.toJSON().Resources as Record<string, { Type: string }>)
        .filter(([, resource]) => referencesLogicalId(resource, bound.functionId))
        .map(([, resource]) => resource.Type);

      // THEN
      const allowed = ['AWS::Lambda::Version', 'AWS::Lambda::Alias', 'AWS::Lambda::Url'];
      expect(referencing.filter((type) => !allowed.includes(type))).toEqual([]);
      expect(referencing).toEqual(expect.arrayContaining(['AWS::Lambda::Version', 'AWS::Lambda::Alias']));
    },
  );
});

describe('across stacks', () => {
  test('an integration in another stack imports the alias ARN, not the function ARN', () => {
    // GIVEN
    const app = new App({ context: RECOGNIZE_LAYERS });
    const producer = new Stack(app, 'Producer');
    const consumer = new Stack(app, 'Consumer');
    const safeFn = new SafeFunction(producer, 'Fn', plainFunctionProps());

    // WHEN
    new events.Rule(consumer, 'Rule', {
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new eventsTargets.LambdaFunction(safeFn)],
    });

    // THEN
    const consumerTemplate = Template.fromStack(consumer);
    const [imported] = Object.values(valuesAt(consumerTemplate, 'AWS::Events::Rule', 'Properties.Targets[0].Arn'));
    const exportName = (imported as { 'Fn::ImportValue': string })['Fn::ImportValue'];
    const exported = Object.values(Template.fromStack(producer).toJSON().Outputs as Record<string, any>)
      .find((output) => output.Export?.Name === exportName);
    expect(exported?.Value).toEqual({ Ref: producer.getLogicalId(safeFn.live.node.defaultChild as CfnElement) });
    consumerTemplate.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { 'Fn::ImportValue': exportName } });
  });
});

describe('the integration table', () => {
  // The same table serves the $LATEST guard, whose findings need the binding of a plain function.
  test.each(INTEGRATION_CASES.map((c) => [c.name, c] as const))(
    '%s binds the unqualified function when given a plain lambda.Function',
    (_name, integration) => {
      // GIVEN
      const stack = newStack();
      const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());

      // WHEN
      integration.bind(stack, fn);

      // THEN
      const functionId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
      const bindings = Object.values(valuesAt(Template.fromStack(stack), integration.resourceType, integration.propertyPath));
      expect(bindings.length).toBeGreaterThan(0);
      for (const value of bindings) {
        expect(referencesLogicalId(value, functionId)).toBe(true);
      }
    },
  );

  test('marks only the custom resource service token and the CloudTrail selector as ignored by the guard', () => {
    // GIVEN
    const ignored = INTEGRATION_CASES.filter((c) => c.guardIgnores).map((c) => c.name);

    // THEN
    expect(ignored).toEqual(['CustomResource serviceToken', 'cloudtrail.Trail.addLambdaEventSelector']);
  });

  test('gives a qualifier path exactly to the rows whose binding keeps the alias name apart', () => {
    // THEN
    for (const integration of INTEGRATION_CASES) {
      expect({ name: integration.name, hasQualifierPath: integration.qualifierPath !== undefined })
        .toEqual({ name: integration.name, hasQualifierPath: integration.form === 'qualifier' });
    }
  });
});
