import { App, CfnElement, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MakeFunctionsSafe, SafeAlias } from '../../src';
import { INTEGRATION_CASES } from '../fixtures/integrations';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #16 §1: route 3 (MakeFunctionsSafe.applyTo(app)) binds every alias exactly as route 2 does
// (the same app written with `new SafeAlias(...)` on each function and its integrations bound to it).

const ENV = { account: '123456789012', region: 'us-east-1' };

/** One app, written twice: with the function bound as it is (route 3 migrates it) and with its SafeAlias (route 2). */
interface RouteCase {
  readonly name: string;
  /** The app as written before the migration: `fn` is the plain function. */
  readonly route3: (stack: Stack, fn: lambda.Function) => void;
  /** The same app written with a SafeAlias: `safe` is the SafeAlias of `fn`. */
  readonly route2: (stack: Stack, fn: lambda.Function, safe: SafeAlias) => void;
  /** Props of the function in route 3 (route 2 gives the alias what it needs). */
  readonly functionProps?: Partial<lambda.FunctionProps>;
  /** Props of the SafeAlias in route 2. */
  readonly aliasProps?: Record<string, unknown>;
}

const aws = lambda as any;

/** The shapes issue #16 names beside the integration table: pairs of properties, and aws-cdk-lib's newest surfaces. */
const SHAPES: RouteCase[] = [
  {
    name: 'async-invoke settings in the function\'s props (AWS::Lambda::EventInvokeConfig)',
    functionProps: { retryAttempts: 1, maxEventAge: Duration.minutes(5) },
    aliasProps: { retryAttempts: 1, maxEventAge: Duration.minutes(5) },
    route3: () => undefined,
    route2: () => undefined,
  },
  {
    name: 'fn.configureAsyncInvoke',
    route3: (_stack, fn) => fn.configureAsyncInvoke({ retryAttempts: 0 }),
    route2: (_stack, _fn, safe) => safe.configureAsyncInvoke({ retryAttempts: 0 }),
  },
  {
    name: 'new lambda.EventInvokeConfig',
    route3: (stack, fn) => new lambda.EventInvokeConfig(stack, 'Config', { function: fn, retryAttempts: 0 }),
    route2: (stack, fn, safe) => new lambda.EventInvokeConfig(stack, 'Config', { function: fn, qualifier: safe.aliasName, retryAttempts: 0 })
      .node.addDependency(safe.live),
  },
  {
    // Its two permissions name no invoker: they are the URL's, and move with it (replaceClientHeldResources here).
    name: 'a public function URL (authType NONE) and its permissions',
    route3: (_stack, fn) => fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE }),
    route2: (_stack, _fn, safe) => safe.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE }),
  },
  {
    name: 'cognito.UserPool preTokenGeneration (the legacy key)',
    route3: (stack, fn) => new cognito.UserPool(stack, 'Pool', { lambdaTriggers: { preTokenGeneration: fn } }),
    route2: (stack, _fn, safe) => new cognito.UserPool(stack, 'Pool', { lambdaTriggers: { preTokenGeneration: safe } }),
  },
  {
    name: 'cognito.CfnUserPool PreTokenGeneration and PreTokenGenerationConfig.LambdaArn together',
    route3: (stack, fn) => cognitoPair(stack, fn),
    route2: (stack, _fn, safe) => cognitoPair(stack, safe),
  },
  {
    name: 'cognito.UserPool customMessage',
    route3: (stack, fn) => new cognito.UserPool(stack, 'Pool', { lambdaTriggers: { customMessage: fn } }),
    route2: (stack, _fn, safe) => new cognito.UserPool(stack, 'Pool', { lambdaTriggers: { customMessage: safe } }),
  },
  ...(aws.CfnResourcePolicy ? [{
    // aws-cdk-lib >= 2.268 (issue #17 §2): a whole invoke policy, rewritten like any grant.
    name: 'lambda.CfnResourcePolicy',
    route3: (stack: Stack, fn: lambda.Function) => resourcePolicy(stack, fn),
    route2: (stack: Stack, _fn: lambda.Function, safe: SafeAlias) => resourcePolicy(stack, safe),
  }] : []),
];

/** Both keys Cognito reads for one trigger, written by hand, with the permission for the pool. */
function cognitoPair(stack: Stack, target: lambda.IFunction): void {
  const pool = new cognito.CfnUserPool(stack, 'Pool', {
    lambdaConfig: {
      preTokenGeneration: target.functionArn,
      preTokenGenerationConfig: { lambdaArn: target.functionArn, lambdaVersion: 'V2_0' },
    },
  });
  target.addPermission('PoolInvoke', { principal: new iam.ServicePrincipal('cognito-idp.amazonaws.com'), sourceArn: pool.attrArn });
}

/** A rule that invokes the function, allowed by a whole resource policy (not an `AWS::Lambda::Permission`). */
function resourcePolicy(stack: Stack, target: lambda.IFunction): void {
  const rule = new events.CfnRule(stack, 'Rule', { scheduleExpression: 'rate(1 hour)', targets: [{ id: 'Target', arn: target.functionArn }] });
  new aws.CfnResourcePolicy(stack, 'Policy', {
    resourceArn: target.functionArn,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: target.functionArn,
        Condition: { ArnLike: { 'aws:SourceArn': rule.attrArn } },
      }],
    },
  });
}

/** Every integration of the table that binds a function (a service token or a trail selector is not a binding). */
const TABLE: RouteCase[] = INTEGRATION_CASES.filter((c) => !c.guardIgnores).map((c) => ({
  name: c.name,
  route3: (stack, fn) => c.bind(stack, fn),
  route2: (stack, _fn, safe) => c.bind(stack, safe),
}));

function synth(route: 2 | 3, c: RouteCase): any {
  const app = new App({ context: { ...RECOGNIZE_LAYERS, 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Default', { env: ENV });
  if (route === 3) {
    c.route3(stack, new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), ...c.functionProps }));
    // A function URL moves only when the user chooses it (identity.test.ts); here it is chosen.
    MakeFunctionsSafe.applyTo(app, { replaceClientHeldResources: true });
  } else {
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    c.route2(stack, fn, new SafeAlias(fn, 'Safe', { function: fn, ...c.aliasProps }));
  }
  return Template.fromStack(stack).toJSON();
}

/**
 * The binding properties of a template: every property value that names the function or its alias
 * (outside the function, its versions and its alias), each with the `Qualifier` next to it, spelled as
 * the alias's name, and whether the resource is created after the alias. Grants are compared apart.
 */
function bindingsOf(template: any): string[] {
  const resources: Record<string, any> = template.Resources;
  const fnId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::Lambda::Function' && id.startsWith('Fn'))!;
  const aliasId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::Lambda::Alias' && id.startsWith('FnSafe'))!;
  const aliasName = resources[aliasId].Properties.Name;
  const names = (v: unknown) => JSON.stringify(v).includes(`"${fnId}"`) || JSON.stringify(v).includes(`"${aliasId}"`);
  const found: string[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (id === fnId || id === aliasId || resource.Type === 'AWS::Lambda::Version' || resource.Type.startsWith('AWS::IAM::')) {
      continue;
    }
    const visit = (value: any, path: string, parent: any) => {
      if (isIntrinsic(value) || typeof value !== 'object' || value === null) {
        if (!names(value)) {
          return;
        }
        const qualifier = parent && typeof parent === 'object' && 'Qualifier' in parent && path.split('.').pop() !== 'Qualifier'
          ? ` Qualifier=${spellQualifier(parent.Qualifier, aliasId, aliasName)}` : '';
        const afterAlias = qualifier ? ` after-alias=${JSON.stringify(resource.DependsOn ?? []).includes(aliasId) || JSON.stringify(parent.Qualifier).includes(aliasId)}` : '';
        found.push(`${resource.Type} ${path} ${JSON.stringify(value)}${qualifier}${afterAlias}`);
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        if (key !== 'Qualifier') { // spelled with the property it qualifies
          visit(item, `${path}.${key}`, value);
        }
      }
    };
    visit(resource.Properties ?? {}, 'Properties', undefined);
    visit(resource.UpdatePolicy ?? {}, 'UpdatePolicy', undefined);
  }
  return found.sort();
}

function isIntrinsic(value: any): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1
    && (Object.keys(value)[0] === 'Ref' || Object.keys(value)[0].startsWith('Fn::'));
}

/** `live`, or `Fn::Select [7, Fn::Split [':', alias ARN]]` (how SafeAlias derives it), both as the alias's name. */
function spellQualifier(qualifier: unknown, aliasId: string, aliasName: string): string {
  const derived = JSON.stringify({ 'Fn::Select': [7, { 'Fn::Split': [':', { Ref: aliasId }] }] });
  return JSON.stringify(qualifier) === derived ? aliasName : String(qualifier);
}

/** The resources each invoke grant allows, as ARNs rendered. */
function grantedResources(template: any): string[] {
  const granted = new Set<string>();
  for (const resource of Object.values<any>(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') {
      continue;
    }
    for (const statement of resource.Properties.PolicyDocument.Statement) {
      if ([statement.Action].flat().some((a: string) => a.startsWith('lambda:Invoke'))) {
        [statement.Resource].flat().forEach((r: unknown) => granted.add(JSON.stringify(r)));
      }
    }
  }
  return [...granted];
}

/** `<function logical ID>:<alias name>` for every alias of the template. */
function aliasNamesPerFunction(template: any): string[] {
  return Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Alias')
    .map((r) => `${JSON.stringify(r.Properties.FunctionName)}:${r.Properties.Name}`);
}

describe.each([['the integration table', TABLE], ['the shapes of issue #16', SHAPES]])('route 3 over %s', (_what, cases) => {
  test.each(cases.map((c) => [c.name, c] as const))('GIVEN %s WHEN migrated THEN its bindings equal those of the same app written with a SafeAlias', (_name, c) => {
    // GIVEN the same app, written with a SafeAlias (route 2) and migrated in place (route 3)
    const route2 = synth(2, c);
    // WHEN
    const route3 = synth(3, c);
    // THEN every property that names the function or its alias is the same, qualifier and order included
    const expected = bindingsOf(route2);
    expect(expected.length).toBeGreaterThan(0);
    expect(bindingsOf(route3)).toEqual(expected);
    // AND every invoke grant of route 2 is one of route 3 (which also keeps `fn:*` during the move)
    expect(grantedResources(route3)).toEqual(expect.arrayContaining(grantedResources(route2)));
    // AND no function has two aliases of one name, which Lambda refuses (an alias the app had is adopted)
    expect(aliasNamesPerFunction(route3).filter((n, i, all) => all.indexOf(n) !== i)).toEqual([]);
  });
});

describe('the async-invoke configuration Lambda accepts', () => {
  test('GIVEN a function with retryAttempts WHEN migrated THEN its EventInvokeConfig names the function bare with Qualifier live, after the alias', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'Default', { env: ENV });
    new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), retryAttempts: 1 });
    MakeFunctionsSafe.applyTo(app);
    const template = Template.fromStack(stack);
    const fnId = Object.keys(template.findResources('AWS::Lambda::Function'))[0];
    const aliasId = Object.keys(template.findResources('AWS::Lambda::Alias'))[0];
    const configs = template.findResources('AWS::Lambda::EventInvokeConfig');
    // Never `FunctionName: name:live` with `Qualifier: $LATEST`, which Lambda refuses.
    expect(Object.values(configs)).toEqual([expect.objectContaining({
      Properties: { FunctionName: { Ref: fnId }, Qualifier: 'live', MaximumRetryAttempts: 1 },
      DependsOn: [aliasId],
    })]);
    // AND its logical ID is kept (CloudFormation replaces it in place: a config for live, then the $LATEST one is deleted)
    expect(Object.keys(configs)).toEqual([expect.stringMatching(/^FnEventInvokeConfig/)]);
  });

  test('GIVEN a SafeAlias with a non-default alias name and a migration of the same name WHEN migrated THEN the qualifier is that name', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'Default', { env: ENV });
    new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), retryAttempts: 1 });
    MakeFunctionsSafe.applyTo(app, { aliasName: 'prod' });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', { Qualifier: 'prod' });
  });
});

describe('an AWS::Lambda::ResourcePolicy, judged like any grant (issue #17 §2)', () => {
  /** A resource policy written as the template has it (an L1 from aws-cdk-lib 2.268, written here as CfnResource for every version). */
  function policy(stack: Stack, fn: lambda.IFunction, statement: Record<string, unknown>): CfnResource {
    return new CfnResource(stack, 'Policy', {
      type: 'AWS::Lambda::ResourcePolicy',
      properties: {
        ResourceArn: fn.functionArn,
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fn.functionArn, ...statement }] },
      },
    });
  }

  function migrated(build: (stack: Stack, fn: lambda.Function) => void): { app: App; stack: Stack; template: any; aliasId: string; fnId: string } {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'Default', { env: ENV });
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    build(stack, fn);
    MakeFunctionsSafe.applyTo(app);
    const template = Template.fromStack(stack).toJSON();
    const aliasId = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'AWS::Lambda::Alias')!;
    return { app, stack, template, aliasId, fnId: stack.getLogicalId(fn.node.defaultChild as CfnElement) };
  }

  test('GIVEN a policy whose condition names a rule that invokes the function WHEN migrated THEN it moves to the alias with the rule', () => {
    const { template, aliasId } = migrated((stack, fn) => {
      const rule = new events.CfnRule(stack, 'Rule', { scheduleExpression: 'rate(1 hour)', targets: [{ id: 'Target', arn: fn.functionArn }] });
      policy(stack, fn, { Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnLike: { 'aws:SourceArn': rule.attrArn } } });
    });
    expect(template.Resources.Policy.Properties.ResourceArn).toEqual({ Ref: aliasId });
    expect(template.Resources.Policy.Properties.PolicyDocument.Statement[0].Resource).toEqual({ Ref: aliasId });
    expect(template.Resources.Rule.Properties.Targets[0].Arn).toEqual({ Ref: aliasId });
  });

  test.each<[string, Record<string, unknown>]>([
    ['another account, no condition', { Principal: { AWS: 'arn:aws:iam::210987654321:root' } }],
    ['a source that does not bind the function', { Principal: { Service: 's3.amazonaws.com' }, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::uploads' } } }],
  ])('GIVEN a policy for %s WHEN migrated THEN it stays on the function, says why, and synthesis passes', (_who, statement) => {
    const { app, stack, template, fnId } = migrated((s, fn) => {
      policy(s, fn, statement);
    });
    expect(() => app.synth()).not.toThrow();
    expect(template.Resources.Policy.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(Annotations.fromStack(stack).findInfo('/Default/Policy', Match.stringLikeRegexp('^MakeFunctionsSafe: Default/Policy still allows the function itself')).length).toBe(1);
  });
});
