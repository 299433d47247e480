import { Aspects, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { EXTRA_CASES } from './extra-cases';
import { findingsOf, guardedStack, logicalIdOf, resourcesBinding } from './guard-helpers';
import { ENV, safeFunction, summary, synthError } from './guard-test-app';
import { FailureMode, Finding, GuardRules, GuardSuppressions, NoLatestInvocations } from '../../src';
import { INTEGRATION_CASES } from '../fixtures/integrations';

const BINDING = GuardRules.LATEST_BINDING;
const PERMISSION = GuardRules.LATEST_PERMISSION;
const GRANT = GuardRules.LATEST_GRANT;
const REASON = 'invoked only by a deploy-time migration';

/**
 * The permissions and grants on `fn` that `root` holds, read from the tree (not from the guard): every
 * `AWS::Lambda::Permission` whose FunctionName names it, and every IAM policy or role that names it
 * beside `lambda:InvokeFunction`.
 */
function companionsOf(root: Stack, fn: lambda.Function): string[] {
  const permissions = resourcesBinding(root, 'AWS::Lambda::Permission', 'Properties.FunctionName', fn);
  const id = logicalIdOf(fn);
  const grants = root.node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && ['AWS::IAM::Policy', 'AWS::IAM::Role'].includes(c.cfnResourceType))
    .filter((r) => {
      const text = JSON.stringify(root.resolve((r as any)._toCloudFormation()));
      return text.includes('lambda:InvokeFunction') && text.includes(`"${id}"`);
    });
  return [...permissions, ...grants].map((r) => r.node.path).sort();
}

function relatedPaths(f: Finding): string[] {
  return (f.relatedResources ?? []).map((r) => r.resourcePath);
}

/** A rule that targets `fn` every hour: a binding (the target) and the permission the target brought. */
function hourlyRule(stack: Stack, id: string, fn: lambda.IFunction): events.Rule {
  return new events.Rule(stack, id, { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn)] });
}

function permissionOf(scope: events.Rule): CfnResource {
  return scope.node.findAll().find((c) => (c as CfnResource).cfnResourceType === 'AWS::Lambda::Permission') as CfnResource;
}

describe('an integration is one finding: the binding with the permissions and grants it brought', () => {
  const CASES = [...INTEGRATION_CASES, ...EXTRA_CASES].filter((c) => !c.guardIgnores);

  test.each(CASES.map((c) => [c.name, c] as const))('GIVEN %s bound to the inner function WHEN checked THEN one finding per binding resource lists every permission and grant on the function', (_name, c) => {
    // GIVEN
    const { stack, fn } = guardedStack();
    c.bind(stack, fn.function);

    // WHEN
    const findings = findingsOf(stack);

    // THEN one finding per resource that carries the binding, none for a permission or grant of its own
    const bindings = resourcesBinding(stack, c.resourceType, c.propertyPath, fn.function).map((r) => r.node.path).sort();
    expect(findings.map((f) => f.resourcePath).sort()).toEqual(bindings);
    expect(findings.filter((f) => f.ruleId === PERMISSION || f.ruleId === GRANT)).toEqual([]);
    // AND together they list each permission and grant the stack holds on the function, once
    const related = findings.flatMap(relatedPaths);
    expect([...related].sort()).toEqual(companionsOf(stack, fn.function));
    expect(new Set(related).size).toBe(related.length);
    // AND the message names each of them
    for (const f of findings) {
      for (const r of f.relatedResources ?? []) {
        expect(f.message).toContain(`${r.resourcePath} (${r.propertyPath}, ${r.ruleId})`);
      }
    }
  });

  test('GIVEN five API methods on the inner function WHEN synthesized in warning mode THEN it warns five times, each naming its two permissions (it was fifteen)', () => {
    // GIVEN
    const { app, stack, fn } = guardedStack();
    const api = new apigateway.RestApi(stack, 'Api');
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
      api.root.addMethod(method, new apigateway.LambdaIntegration(fn.function));
    }
    Aspects.of(app).add(new NoLatestInvocations({ failureMode: FailureMode.WARNING }));

    // WHEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('SafeLambda-Latest'));

    // THEN
    expect(warnings.map((w) => w.id).sort()).toEqual(['DELETE', 'GET', 'PATCH', 'POST', 'PUT'].map((m) => `/Stack/Api/Default/${m}/Resource`));
    for (const w of warnings) {
      const method = w.id.split('/')[4];
      expect(String(w.entry.data)).toMatch(new RegExp(`and the permissions its integration brought on the same function: Stack/Api/Default/${method}/ApiPermission\\.\\S+ `
        + `\\(Properties\\.FunctionName, ${PERMISSION}\\), Stack/Api/Default/${method}/ApiPermission\\.Test\\.\\S+ \\(Properties\\.FunctionName, ${PERMISSION}\\); the fix covers them too\\. Fix: `));
    }
  });

  test('GIVEN an API method on the inner function WHEN synthesized THEN synthesis fails once, at the method, and the error names the permissions', () => {
    // GIVEN
    const { app, stack, fn } = guardedStack();
    new apigateway.RestApi(stack, 'Api').root.addMethod('GET', new apigateway.LambdaIntegration(fn.function));

    // WHEN
    const error = synthError(app);

    // THEN
    expect(error.match(/^\s*\[[^\]]+\] \[SafeLambda-[A-Za-z]+\]/gm)?.map((l) => l.trim())).toEqual([`[Stack/Api/Default/GET/Resource] [${BINDING}]`]);
    expect(error).toContain('Stack/Api/Default/GET/ApiPermission.Test.');
  });

  test('GIVEN a state machine on the inner function WHEN checked THEN its role\'s grant (a warning) joins the binding, which stays an error', () => {
    // GIVEN
    const { app, stack, fn } = guardedStack();
    new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn.function })) });

    // WHEN
    const findings = NoLatestInvocations.findings(app);

    // THEN
    expect(findings.map((f) => [f.ruleId, f.resourcePath, f.relatedResources])).toEqual([[BINDING, 'Stack/Machine/Resource', [{
      ruleId: GRANT, resourcePath: 'Stack/Machine/Role/DefaultPolicy/Resource', propertyPath: 'Properties.PolicyDocument.Statement[0].Resource[0]',
    }]]]);
    expect(findings[0].message).toContain('and the grants its integration brought on the same function: Stack/Machine/Role/DefaultPolicy/Resource');
    expect(synthError(app)).toContain(`[Stack/Machine/Resource] [${BINDING}]`);
  });
});

describe('what does not join a binding stays a finding of its own', () => {
  test('GIVEN a permission and no binding WHEN checked THEN it is a finding of its own', () => {
    const { app, fn } = guardedStack();
    fn.function.addPermission('Lone', { principal: new iam.ServicePrincipal('events.amazonaws.com') });

    expect(summary(app)).toEqual([`${PERMISSION} Stack/Fn/Function/Lone Properties.FunctionName -> Stack/Fn`]);
  });

  test('GIVEN a rule and a permission for another service added by hand WHEN checked THEN the rule brings its own permission only', () => {
    const { app, stack, fn } = guardedStack();
    const rule = hourlyRule(stack, 'Rule', fn.function);
    fn.function.addPermission('Manual', { principal: new iam.ServicePrincipal('sns.amazonaws.com') });

    expect(summary(app)).toEqual([
      `${BINDING} Stack/Rule/Resource Properties.Targets[0].Arn -> Stack/Fn + ${permissionOf(rule).node.path} Properties.FunctionName`,
      `${PERMISSION} Stack/Fn/Function/Manual Properties.FunctionName -> Stack/Fn`,
    ]);
  });

  test('GIVEN a rule and grantInvoke to an unrelated role WHEN checked THEN the grant is a finding of its own', () => {
    const { app, stack, fn } = guardedStack();
    hourlyRule(stack, 'Rule', fn.function);
    fn.function.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));

    const findings = NoLatestInvocations.findings(app);
    expect(findings.map((f) => [f.ruleId, f.resourcePath, relatedPaths(f).length])).toEqual([
      [BINDING, 'Stack/Rule/Resource', 1],
      [GRANT, 'Stack/Caller/DefaultPolicy/Resource', 0],
    ]);
  });

  test('GIVEN two rules on one function WHEN checked THEN two findings, each with its own rule\'s permission', () => {
    const { app, stack, fn } = guardedStack();
    const first = hourlyRule(stack, 'First', fn.function);
    const second = hourlyRule(stack, 'Second', fn.function);

    expect(summary(app)).toEqual([
      `${BINDING} Stack/First/Resource Properties.Targets[0].Arn -> Stack/Fn + ${permissionOf(first).node.path} Properties.FunctionName`,
      `${BINDING} Stack/Second/Resource Properties.Targets[0].Arn -> Stack/Fn + ${permissionOf(second).node.path} Properties.FunctionName`,
    ]);
  });

  test('GIVEN one rule targeting two functions WHEN checked THEN each function\'s finding lists that function\'s permission only', () => {
    const { app, stack, fn } = guardedStack();
    const other = safeFunction(stack, 'Other');
    const rule = new events.Rule(stack, 'Rule', {
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(fn.function), new targets.LambdaFunction(other.function)],
    });
    const permissions = rule.node.findAll().filter((c) => (c as CfnResource).cfnResourceType === 'AWS::Lambda::Permission').map((p) => p.node.path);

    const findings = NoLatestInvocations.findings(app);
    expect(findings.map((f) => [f.propertyPath, f.functionPath, relatedPaths(f)])).toEqual([
      ['Properties.Targets[0].Arn', 'Stack/Fn', [permissions.find((p) => p.includes('StackFn'))]],
      ['Properties.Targets[1].Arn', 'Stack/Other', [permissions.find((p) => p.includes('StackOther'))]],
    ]);
  });

  test('GIVEN two GraphQL APIs authorized by one function WHEN checked THEN their permissions, which name neither API, stay findings of their own', () => {
    // GIVEN two integrations of one service whose permissions carry no SourceArn: nothing tells them apart
    const { app, stack, fn } = guardedStack();
    const schema: appsync.ISchema = { bind: (api) => ({ apiId: api.apiId, definition: 'type Query { ping: String }' }) };
    for (const id of ['One', 'Two']) {
      new appsync.GraphqlApi(stack, id, {
        name: id,
        definition: appsync.Definition.fromSchema(schema),
        authorizationConfig: {
          defaultAuthorization: { authorizationType: appsync.AuthorizationType.LAMBDA, lambdaAuthorizerConfig: { handler: fn.function } },
        },
      });
    }

    // THEN two bindings alone and two permissions alone, rather than a guess
    expect(findingsOf(app).map((f) => [f.ruleId, f.resourcePath, relatedPaths(f).length])).toEqual([
      [BINDING, 'Stack/One/Resource', 0],
      [BINDING, 'Stack/Two/Resource', 0],
      [PERMISSION, 'Stack/Fn/Function/One-appsync', 0],
      [PERMISSION, 'Stack/Fn/Function/Two-appsync', 0],
    ]);
  });
});

describe('suppressions and groups', () => {
  function ruleApp() {
    const { app, stack, fn } = guardedStack();
    const rule = hourlyRule(stack, 'Rule', fn.function);
    return { app, stack, rule, permission: permissionOf(rule) };
  }

  test('GIVEN the binding suppressed WHEN checked THEN the whole group is suppressed, synthesis succeeds and the suppression is used', () => {
    const { app, rule, permission } = ruleApp();
    GuardSuppressions.add(rule.node.defaultChild!, { ruleId: BINDING, reason: REASON });

    expect(summary(app)).toEqual([
      `${BINDING} Stack/Rule/Resource Properties.Targets[0].Arn -> Stack/Fn + ${permission.node.path} Properties.FunctionName (suppressed: ${REASON})`,
    ]);
    expect(synthError(app)).toBe('');
  });

  test('GIVEN the binding suppressed with appliesTo its property path (the message\'s suppression call) WHEN synthesized THEN the group is covered', () => {
    const { app, stack, rule } = ruleApp();
    GuardSuppressions.add(rule, { ruleId: BINDING, reason: REASON, appliesTo: ['Properties.Targets[0].Arn'] });

    expect(NoLatestInvocations.findings(app).map((f) => [f.ruleId, f.suppressed, relatedPaths(f).length])).toEqual([[BINDING, true, 1]]);
    expect(synthError(app)).toBe('');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(GuardRules.UNUSED_SUPPRESSION))).toEqual([]);
  });

  test('GIVEN only the permission suppressed WHEN checked THEN the binding stays an error alone and the permission is reported apart, suppressed', () => {
    const { app, permission } = ruleApp();
    GuardSuppressions.add(permission, { ruleId: PERMISSION, reason: REASON });

    expect(summary(app)).toEqual([
      `${BINDING} Stack/Rule/Resource Properties.Targets[0].Arn -> Stack/Fn`,
      `${PERMISSION} ${permission.node.path} Properties.FunctionName -> Stack/Fn (suppressed: ${REASON})`,
    ]);
    const error = synthError(app);
    expect(error).toContain(`[Stack/Rule/Resource] [${BINDING}]`);
    expect(error).not.toContain(`[${PERMISSION}]`);
    expect(error).not.toContain(GuardRules.UNUSED_SUPPRESSION);
  });

  test('GIVEN the binding and its permission suppressed each WHEN synthesized THEN one suppressed group, and neither suppression is reported unused', () => {
    const { app, stack, rule, permission } = ruleApp();
    GuardSuppressions.add(rule.node.defaultChild!, { ruleId: BINDING, reason: REASON });
    GuardSuppressions.add(permission, { ruleId: PERMISSION, reason: 'the permission is removed next release' });

    const findings = NoLatestInvocations.findings(app);
    expect(findings.map((f) => [f.ruleId, f.suppressed, f.suppressionReason, relatedPaths(f)]))
      .toEqual([[BINDING, true, REASON, [permission.node.path]]]);
    expect(synthError(app)).toBe('');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(GuardRules.UNUSED_SUPPRESSION))).toEqual([]);
  });

  test('GIVEN a state machine\'s grant acknowledged as a warning WHEN checked THEN the binding is an error alone and the grant is reported apart, suppressed', () => {
    const { app, stack, fn } = guardedStack();
    const machine = new sfn.StateMachine(stack, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn.function })),
    });
    machine.role.node.addMetadata('aws:cdk:acknowledged-rules', { [GRANT]: 'the role is read-only in prod' });

    expect(findingsOf(app).map((f) => [f.ruleId, f.resourcePath, f.suppressed, relatedPaths(f).length])).toEqual([
      [BINDING, 'Stack/Machine/Resource', false, 0],
      [GRANT, 'Stack/Machine/Role/DefaultPolicy/Resource', true, 0],
    ]);
  });
});

describe('findings across stacks', () => {
  test('GIVEN a rule in another stack on the inner function WHEN checked THEN the rule and its permission are one finding there', () => {
    const { app, fn } = guardedStack();
    const consumer = new Stack(app, 'Consumer', { env: ENV });
    const rule = hourlyRule(consumer, 'Rule', fn.function);

    expect(summary(app)).toEqual([
      `${BINDING} Consumer/Rule/Resource Properties.Targets[0].Arn -> Stack/Fn + ${permissionOf(rule).node.path} Properties.FunctionName`,
    ]);
  });
});
