import { GuardRules } from '../../src/guard/guard-rules';
import { headline, HEADLINE_WIDTH } from '../../src/judge/headline';
import { JudgeInput } from '../../src/judge/input';
import { judge } from '../../src/judge/judge';
import { findingMessage, TemplateTool } from '../../src/judge/messages';
import { Qualifier } from '../../src/private/bindings/qualifier';

// The judge is pure (issue #18): its rules are tables over template-level inputs, no construct in sight.
function input(resourceType: string, path: string, qualifier: Qualifier, extra: Partial<JudgeInput> = {}, entry: any = {}): JudgeInput {
  return {
    analysis: { resourceType, entry },
    occurrence: { targetType: 'AWS::Lambda::Function', attribute: 'Arn', path, before: '', after: '' },
    qualifier,
    guarded: { path: 'Stack/Fn', isSafeFunction: true },
    requireVersionsInStateMachines: false,
    shownPath: () => path,
    ...extra,
  };
}

describe('the judge over template-level inputs', () => {
  test.each([
    ['an SNS subscription on the unqualified ARN', input('AWS::SNS::Subscription', 'Properties.Endpoint', Qualifier.NONE), GuardRules.LATEST_BINDING],
    ['the same on :$LATEST', input('AWS::SNS::Subscription', 'Properties.Endpoint', Qualifier.LATEST), GuardRules.LATEST_BINDING],
    ['the same on an alias', input('AWS::SNS::Subscription', 'Properties.Endpoint', Qualifier.ALIAS), undefined],
    ['the same on a version', input('AWS::SNS::Subscription', 'Properties.Endpoint', Qualifier.VERSION), undefined],
    ['a qualifier known only at deploy time', input('AWS::SNS::Subscription', 'Properties.Endpoint', Qualifier.UNKNOWN), undefined],
    ['a permission on the unqualified ARN', input('AWS::Lambda::Permission', 'Properties.FunctionName', Qualifier.NONE, {}, { Properties: { Action: 'lambda:InvokeFunction' } }), GuardRules.LATEST_PERMISSION],
    ['a permission to read the function', input('AWS::Lambda::Permission', 'Properties.FunctionName', Qualifier.NONE, {}, { Properties: { Action: 'lambda:GetFunction' } }), undefined],
    ['an IAM grant', input('AWS::IAM::Policy', 'Properties.PolicyDocument.Statement[0].Resource[0]', Qualifier.NONE, {},
      { Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction' }] } } }), GuardRules.LATEST_GRANT],
    ['another function\'s environment', input('AWS::Lambda::Function', 'Properties.Environment.Variables.TARGET', Qualifier.NONE), GuardRules.LATEST_SDK_TARGET],
    ['a durable function', input('AWS::SNS::Subscription', 'Properties.Endpoint', Qualifier.NONE,
      { guarded: { path: 'Stack/Fn', isSafeFunction: false, feature: 'durable' as any } }), GuardRules.DURABLE_LATEST],
    ['a state machine through an alias, versions required', input('AWS::StepFunctions::StateMachine', 'Properties.DefinitionString', Qualifier.ALIAS,
      { requireVersionsInStateMachines: true }), GuardRules.STATE_MACHINE_ALIAS],
    ['a log group name (not a binding)', input('AWS::Logs::SubscriptionFilter', 'Properties.LogGroupName', Qualifier.NONE), undefined],
    ['an alias\'s Arn attribute (an alias is named by Ref)', input('AWS::SNS::Subscription', 'Properties.Endpoint', Qualifier.NONE,
      { occurrence: { targetType: 'AWS::Lambda::Alias', attribute: 'Arn', path: 'Properties.Endpoint', before: '', after: '' } }), undefined],
  ])('%s: %s', (_case, judged, ruleId) => {
    expect(judge(judged)?.rule.ruleId).toBe(ruleId);
  });

  test('a rule writes the path the user sees, never the rendered one, and the message is written once with it', () => {
    const judged = input('AWS::IAM::Policy', 'Properties.PolicyDocument.Statement[1].Resource[0]', Qualifier.NONE,
      { shownPath: () => 'Properties.PolicyDocument.Statement[0].Resource[3]' },
      { Properties: { PolicyDocument: { Statement: [{}, { Effect: 'Allow', Action: 'lambda:*' }] } } });

    const judgement = judge(judged)!;
    const message = findingMessage({
      ruleId: judgement.rule.ruleId,
      resourcePath: 'Stack/Role/Policy',
      propertyPath: judged.shownPath(),
      verdict: judgement.verdict,
      target: judged.guarded,
      tool: TemplateTool.CDK,
    });

    expect(judgement.verdict.problem).toContain('Statement[0].Resource[3]');
    expect(message).not.toContain('Statement[1].Resource[0]');
  });

  test.each([
    ['short paths', 'Stack/Sub', 'Properties.Endpoint', 'Stack/Fn'],
    ['long construct paths', 'App/Production/OrdersService/Api/Default/orders/{id}/GET/Resource', 'Properties.Integration.Uri', 'App/Production/OrdersService/Handler'],
    ['a very long property path', 'Stack/Role/DefaultPolicy/Resource', 'Properties.PolicyDocument.Statement[12].Resource[3].Fn::Join[1][0]', 'Stack/AFunctionWithAVeryLongName'],
  ])('a headline fits 120 characters: %s', (_case, where, propertyPath, fn) => {
    const line = headline({ ruleId: GuardRules.LATEST_BINDING, where, propertyPath, what: 'binds $LATEST of {fn}', fn, fix: 'bind a SafeAlias' });

    expect(line.length).toBeLessThanOrEqual(HEADLINE_WIDTH);
    expect(line).toMatch(/^\[SafeLambda-LatestBinding\] .+: .+ binds \$LATEST of .+ — fix: bind a SafeAlias$/);
  });
});
