import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { bindingsOf, functionIds } from '../../examples/bindings';
import { buildOrderService } from '../../examples/service';
import { buildLegacyService } from '../../examples/whole-app';
import { buildCheckout } from '../../examples/wrap-one-function';
import { GuardedFunctions, NoLatestInvocations } from '../../src';

// The examples of the migration guide's three routes (examples/), as `npm run demo` builds them.

const CONTEXT = { 'aws:cdk:bundling-stacks': [] };

type Build = (options: { safe?: boolean }) => App;
const ROUTES: Array<[string, Build, string]> = [
  ['route 1 (SafeFunction, SafeNodejsFunction)', () => buildOrderService(CONTEXT), 'OrderService'],
  ['route 2 (SafeAlias on a NodejsFunction)', ({ safe }) => buildCheckout({ safe, context: CONTEXT }), 'Checkout'],
  ['route 3 (MakeFunctionsSafe on NodejsFunctions)', ({ safe }) => buildLegacyService({ safe, context: CONTEXT }), 'LegacyService'],
];

function templateOf(app: App, stackName: string): Template {
  return Template.fromJSON(app.synth().getStackByName(stackName).template);
}

/** The logical IDs of the template's aliases. */
function aliasIds(template: Template): string[] {
  return Object.keys(template.findResources('AWS::Lambda::Alias'));
}

describe.each(ROUTES)('the example of %s', (_route, build, stackName) => {
  test('GIVEN the example app WHEN it is synthesized THEN the guard passes and the strict guard finds no unsuppressed binding', () => {
    // GIVEN
    const app = build({});

    // WHEN
    const synth = () => app.synth();

    // THEN
    expect(synth).not.toThrow();
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed)).toEqual([]);
  });

  test('GIVEN the synthesized example WHEN reading every binding THEN each names an alias or a qualified ARN, never $LATEST', () => {
    // GIVEN
    const template = templateOf(build({}), stackName);

    // WHEN
    const bindings = bindingsOf(template.toJSON() as any);

    // THEN
    expect(bindings.length).toBeGreaterThanOrEqual(5);
    expect(bindings.filter((b) => b.kind === '$LATEST')).toEqual([]);
    // AND each function has its live alias, and the bindings CloudFormation checks name one of them
    const aliases = aliasIds(template);
    expect(aliases).toHaveLength(functionIds(template.toJSON() as any).length);
    for (const alias of Object.values(template.findResources('AWS::Lambda::Alias'))) {
      expect(alias.Properties.Name).toBe('live');
    }
    for (const permission of Object.values(template.findResources('AWS::Lambda::Permission'))) {
      expect(aliases).toContain(permission.Properties.FunctionName.Ref);
    }
    for (const integration of Object.values(template.findResources('AWS::ApiGatewayV2::Integration'))) {
      expect(aliases).toContain(integration.Properties.IntegrationUri.Ref);
    }
  });
});

describe.each(ROUTES.slice(1))('the migration of %s', (_route, build, stackName) => {
  test('GIVEN the app before the migration WHEN it is migrated THEN every function keeps its logical ID and its properties (not replaced)', () => {
    // GIVEN
    const before = templateOf(build({ safe: false }), stackName);
    expect(bindingsOf(before.toJSON() as any).filter((b) => b.kind === '$LATEST').length).toBeGreaterThanOrEqual(5);

    // WHEN
    const after = templateOf(build({}), stackName);

    // THEN the same function resources: FunctionName (the one property that replaces a function) and
    // every other property as they were, except environment values that named another function
    // (route 3 rewrites them to its alias: an update in place)
    const functionsBefore = before.findResources('AWS::Lambda::Function');
    const functionsAfter = after.findResources('AWS::Lambda::Function');
    expect(Object.keys(functionsAfter).sort()).toEqual(Object.keys(functionsBefore).sort());
    for (const [id, was] of Object.entries(functionsBefore)) {
      const { Environment: envBefore, ...restBefore } = was.Properties;
      const { Environment: envAfter, ...restAfter } = functionsAfter[id].Properties;
      expect(restAfter).toEqual(restBefore);
      expect(Object.keys(envAfter?.Variables ?? {}).sort()).toEqual(Object.keys(envBefore?.Variables ?? {}).sort());
      for (const [key, value] of Object.entries(envBefore?.Variables ?? {})) {
        if (typeof value === 'string') expect(envAfter.Variables[key]).toBe(value);
      }
    }
    // AND one version and one alias per function are the only new resource types
    const functions = functionIds(before.toJSON() as any).length;
    after.resourceCountIs('AWS::Lambda::Version', functions);
    after.resourceCountIs('AWS::Lambda::Alias', functions);
    const typesBefore = new Set(Object.values(before.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type));
    const newTypes = [...new Set(Object.values(after.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type))]
      .filter((type) => !typesBefore.has(type)).sort();
    expect(newTypes).toEqual(['AWS::Lambda::Alias', 'AWS::Lambda::Version']);
  });
});

describe('npm run demo', () => {
  test('GIVEN the examples WHEN the demo runs THEN it exits 0, shows the bindings to $LATEST going to 0 and no function replaced', () => {
    // WHEN
    const output = execFileSync('bash', [path.join(__dirname, '..', '..', 'scripts', 'demo.sh')], {
      encoding: 'utf8',
      env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
    });

    // THEN (execFileSync throws on a non-zero exit)
    expect(output).toMatch(/bindings to \$LATEST: 6 before, 0 after/);
    expect(output).toMatch(/bindings to \$LATEST: 11 before, 0 after/);
    expect(output).toMatch(/functions: +5 of 5 keep their logical ID/);
    expect(output).not.toMatch(/REPLACED|\(\$LATEST/);
    expect(output.trim().split('\n').pop()).toBe('No binding invokes $LATEST.');
  });
});
