import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, CustomResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as mwaa from 'aws-cdk-lib/aws-mwaa';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { AssemblyView, iamCovers, Named, permissions, roleGrants } from './deploy-invariants';
import { GuardedFunctions, GuardRules, GuardSuppressions, MakeFunctionsSafe, MakeFunctionsSafeProps, NoLatestInvocations } from '../../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #16 §3 (a): a deploy-time call and its grant stay together. A custom resource's call is
// deployment-time data the migration leaves on the bare function; the grant its invoker holds must
// then stay on the bare function too (today it moved to the alias: AccessDenied at the next update).

const ENV = { account: '123456789012', region: 'us-east-1' };

type Kind = (stack: Stack, fn: lambda.Function, app: App) => void;

const invoke = (fn: lambda.IFunction): cr.AwsSdkCall => ({
  service: 'Lambda', action: 'invoke', parameters: { FunctionName: fn.functionName }, physicalResourceId: cr.PhysicalResourceId.of('seed'),
});

/** Custom resources of each kind that call the function at deployment time, each with the grant that lets it. */
const DEPLOY_TIME_CALLERS: Array<[string, Kind]> = [
  ['an AwsCustomResource calling Lambda.invoke, granted with fn.grantInvoke(cr)', (stack, fn) => {
    const call = new cr.AwsCustomResource(stack, 'Seed', {
      onCreate: invoke(fn),
      onUpdate: invoke(fn),
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    fn.grantInvoke(call);
  }],
  ['an AwsCustomResource calling Lambda.invoke, granted by its policy statements', (stack, fn) => {
    new cr.AwsCustomResource(stack, 'Seed', {
      onCreate: invoke(fn),
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] })]),
    });
  }],
  ['an AwsCustomResource with a role of its own, granted with fn.grantInvoke(role)', (stack, fn) => {
    const role = new iam.Role(stack, 'SeedRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    fn.grantInvoke(role);
    new cr.AwsCustomResource(stack, 'Seed', {
      onCreate: invoke(fn),
      role,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
  }],
  ['a Provider framework with the function as its onEvent handler', (stack, fn) => {
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: fn });
    new CustomResource(stack, 'Resource', { serviceToken: provider.serviceToken });
  }],
  ['a CustomResource whose ServiceToken is the function', (stack, fn) => {
    new CustomResource(stack, 'Resource', { serviceToken: fn.functionArn, properties: { Name: fn.functionName } });
  }],
  ['an integ-tests assertion invokeFunction', (stack, fn, app) => {
    new IntegTest(app, 'Integ', { testCases: [stack] }).assertions.invokeFunction({ functionName: fn.functionName });
  }],
];

function appOf(kind: Kind): { app: App; stack: Stack; fn: lambda.Function } {
  const app = new App({ context: { ...RECOGNIZE_LAYERS, 'aws:cdk:bundling-stacks': [] } });
  // integ-tests' assertion stack has no environment: so is the stack under test then.
  const stack = new Stack(app, 'S', kind === DEPLOY_TIME_CALLERS[5][1] ? {} : { env: ENV });
  const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
  kind(stack, fn, app);
  return { app, stack, fn };
}

function templatesOf(app: App): Record<string, any> {
  const assembly = app.synth();
  return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template]));
}

/**
 * Every custom resource's call, and what its provider is allowed to invoke: the provider (the function
 * its ServiceToken names) calls what the custom resource's properties name, and what its own
 * environment names (the Provider framework's user handler), with its execution role.
 */
function deployTimeCalls(view: AssemblyView): Array<{ caller: string; call: Named; covered: boolean }> {
  const found: Array<{ caller: string; call: Named; covered: boolean }> = [];
  for (const [stack, template] of Object.entries<any>(view.templates)) {
    for (const [id, resource] of Object.entries<any>(template.Resources)) {
      const token = resource.Properties?.ServiceToken;
      if (token === undefined) {
        continue;
      }
      const [provider] = view.named(stack, token);
      const providerEntry = provider && view.resource(provider.stack, provider.fn);
      const role = providerEntry?.Properties?.Role?.['Fn::GetAtt']?.[0];
      if (!role) {
        continue;
      }
      const { ServiceToken: _, ...call } = resource.Properties;
      const calls = [...view.named(stack, call), ...view.named(provider.stack, providerEntry.Properties.Environment ?? {})]
        .filter((n) => !(n.stack === provider.stack && n.fn === provider.fn));
      const grants = roleGrants(view, provider.stack, role);
      const allowed = permissions(view).filter((p) => JSON.stringify(p.principal) === JSON.stringify({ 'Fn::GetAtt': [role, 'Arn'] }));
      for (const n of calls) {
        const covered = iamCovers(grants.named, grants.literals, n)
          || allowed.some((p) => p.on.some((o) => o.stack === n.stack && o.fn === n.fn && o.qualifier === n.qualifier));
        found.push({ caller: `${stack}/${id}`, call: n, covered });
      }
    }
  }
  return found;
}

describe('deploy-time callers after MakeFunctionsSafe', () => {
  test.each(DEPLOY_TIME_CALLERS)('GIVEN %s WHEN migrated THEN what its call names is what its grant allows', (_name, kind) => {
    const { app } = appOf(kind);
    MakeFunctionsSafe.applyTo(app);
    const calls = deployTimeCalls(new AssemblyView(templatesOf(app)));
    expect(calls.filter((c) => !c.covered)).toEqual([]);
  });

  test.each(DEPLOY_TIME_CALLERS)('GIVEN %s WHEN migrated THEN the strict guard finds nothing left unexplained', (_name, kind) => {
    const { app } = appOf(kind);
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    // What stays on the bare function with its call is suppressed, with the reason.
    const unsuppressed = NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed);
    expect(unsuppressed).toEqual([]);
    // And every suppression the migration added is used by the automatic guard.
    const messages = app.synth().stacks.flatMap((st) => st.messages).map((m) => String(m.entry.data));
    expect(messages.filter((m) => m.includes('UnusedSuppression'))).toEqual([]);
  });

  test('GIVEN an AwsCustomResource calling the function WHEN migrated THEN its grant keeps the bare function and says why', () => {
    const { app, stack, fn } = appOf(DEPLOY_TIME_CALLERS[0][1]);
    MakeFunctionsSafe.applyTo(app);
    const view = new AssemblyView(templatesOf(app));
    const fnId = stack.resolve((fn.node.defaultChild as CfnResource).logicalId);
    const calls = deployTimeCalls(view);
    // The call names the bare function, the grant allows the bare function.
    expect(new Set(calls.map((c) => JSON.stringify(c.call)))).toEqual(new Set([JSON.stringify({ stack: 'S', fn: fnId, qualifier: '' })]));
    expect(calls.every((c) => c.covered)).toBe(true);
    const infos = Annotations.fromStack(stack).findInfo('*',
      Match.stringLikeRegexp('still allows S/Fn itself, not its alias.\nWhy: the call of S/Seed/Resource/Default names the bare function'));
    expect(infos.map((i) => i.entry.data)).toHaveLength(1);
  });

  test('GIVEN a CustomResource whose ServiceToken is the function WHEN migrated THEN the ServiceToken is never rewritten', () => {
    const { app, stack, fn } = appOf(DEPLOY_TIME_CALLERS[4][1]);
    MakeFunctionsSafe.applyTo(app);
    const template = templatesOf(app).S;
    const fnId = stack.resolve((fn.node.defaultChild as CfnResource).logicalId);
    const custom = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CloudFormation::CustomResource');
    expect(custom.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
  });
});

describe('grants of invokers outside deploy-time calls after MakeFunctionsSafe', () => {
  /** An MWAA environment whose role may invoke the function; `options` are its Airflow configuration. */
  function workflowApp(options?: (fn: lambda.Function) => Record<string, string>) {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'S', { env: ENV });
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    const role = new iam.Role(stack, 'WorkflowRole', { assumedBy: new iam.ServicePrincipal('airflow-env.amazonaws.com') });
    fn.grantInvoke(role);
    new mwaa.CfnEnvironment(stack, 'Airflow', {
      name: 'airflow',
      executionRoleArn: role.roleArn,
      sourceBucketArn: 'arn:aws:s3:::dags',
      dagS3Path: 'dags',
      airflowConfigurationOptions: options?.(fn),
    });
    MakeFunctionsSafe.applyTo(app);
    const view = new AssemblyView(templatesOf(app));
    const idOf = (c: IConstruct) => stack.resolve(((c.node.defaultChild ?? c) as CfnResource).logicalId);
    return { view, grants: roleGrants(view, 'S', idOf(role)), fnId: idOf(fn), envId: idOf(stack.node.findChild('Airflow')), stack };
  }

  test('GIVEN a workflow (MWAA) whose configuration names the function WHEN migrated THEN its role may invoke what the workflow names', () => {
    const { view, grants, envId } = workflowApp((fn) => ({ LAMBDA_FUNCTION: fn.functionName }));
    const named = view.named('S', view.resource('S', envId).Properties.AirflowConfigurationOptions);
    expect(named).toHaveLength(1);
    expect(iamCovers(grants.named, grants.literals, named[0])).toBe(true);
  });

  test('GIVEN a workflow (MWAA) whose DAG code names the function WHEN migrated THEN its role keeps the bare function, and says why', () => {
    const { grants, fnId, stack } = workflowApp();
    expect(iamCovers(grants.named, grants.literals, { stack: 'S', fn: fnId, qualifier: '' })).toBe(true);
    Annotations.fromStack(stack).hasInfo('/S/WorkflowRole/DefaultPolicy/Resource', Match.stringLikeRegexp('S/Airflow invokes it by what its code names'));
  });

  test('GIVEN a grant to a role of another account WHEN migrated THEN it stays on the bare function the other account invokes', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'S', { env: ENV });
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    const role = new iam.Role(stack, 'External', { assumedBy: new iam.AccountPrincipal('210987654321') });
    fn.grantInvoke(role);
    MakeFunctionsSafe.applyTo(app);
    const view = new AssemblyView(templatesOf(app));
    const grants = roleGrants(view, 'S', stack.resolve((role.node.defaultChild as CfnResource).logicalId));
    const fnId = stack.resolve((fn.node.defaultChild as CfnResource).logicalId);
    expect(iamCovers(grants.named, grants.literals, { stack: 'S', fn: fnId, qualifier: '' })).toBe(true);
    Annotations.fromStack(stack).hasInfo('/S/External/DefaultPolicy/Resource', Match.stringLikeRegexp('nothing in the app invokes through it'));
  });

  test('GIVEN a function that invokes another by the name in its environment WHEN migrated THEN its grant covers the alias it now names', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'S', { env: ENV });
    const worker = new lambda.Function(stack, 'Worker', plainFunctionProps());
    const caller = new lambda.Function(stack, 'Caller', { ...plainFunctionProps(), environment: { WORKER: worker.functionName } });
    worker.grantInvoke(caller);
    MakeFunctionsSafe.applyTo(app);
    const view = new AssemblyView(templatesOf(app));
    const callerEntry = view.resource('S', stack.resolve((caller.node.defaultChild as CfnResource).logicalId));
    const [named] = view.named('S', callerEntry.Properties.Environment);
    expect(named.qualifier).toEqual('live');
    const grants = roleGrants(view, 'S', callerEntry.Properties.Role['Fn::GetAtt'][0]);
    expect(iamCovers(grants.named, grants.literals, named)).toBe(true);
  });
});

describe('permissions of bindings the migration leaves', () => {
  /** An EventBridge rule bound to the function, and the permission it brought; `how` leaves the binding on the function. */
  function ruleApp(how: (stack: Stack, fn: lambda.Function, rule: events.Rule) => MakeFunctionsSafeProps) {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'S', { env: ENV });
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    const rule = new events.Rule(stack, 'Rule', { eventPattern: { source: ['orders'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    MakeFunctionsSafe.applyTo(app, how(stack, fn, rule));
    const template = app.synth().getStackByName('S').template;
    const view = new AssemblyView({ S: template });
    const fnId = stack.resolve((fn.node.defaultChild as CfnResource).logicalId);
    const ruleEntry = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Events::Rule');
    const permission = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Permission');
    return {
      bound: view.named('S', ruleEntry.Properties.Targets).filter((n) => n.fn === fnId),
      allowed: view.named('S', permission.Properties.FunctionName).filter((n) => n.fn === fnId),
    };
  }

  test.each<[string, (stack: Stack, fn: lambda.Function, rule: events.Rule) => MakeFunctionsSafeProps]>([
    ['its binding is suppressed', (_s, _fn, rule) => {
      GuardSuppressions.add(rule, { ruleId: GuardRules.LATEST_BINDING, reason: 'the rule is moved by hand next week' });
      return {};
    }],
    ['its function is excluded', (_s, fn) => ({ exclude: [fn] })],
  ])('GIVEN a rule whose binding stays on the function because %s WHEN migrated THEN its permission stays with it', (_name, how) => {
    const { bound, allowed } = ruleApp(how);
    expect(bound.map((n) => n.qualifier)).toEqual(['']);
    expect(allowed.map((n) => n.qualifier)).toEqual(['']);
  });

  test('GIVEN a rule whose binding moves WHEN migrated THEN its permission moves with it', () => {
    const { bound, allowed } = ruleApp(() => ({}));
    expect(bound.map((n) => n.qualifier)).toEqual(['live']);
    expect(allowed.map((n) => n.qualifier)).toEqual(['live']);
  });
});
