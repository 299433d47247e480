import { Annotations as CoreAnnotations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { guardedStack, line, subscribe, summary, synthError, warningModeBinding } from './guard-test-app';
import { GuardRules, GuardSuppressions, NoLatestInvocations } from '../../src';

const BINDING = GuardRules.LATEST_BINDING;
const REASON = 'invoked only by a deploy-time migration';

describe('GuardSuppressions.add rejects bad input at the call', () => {
  test('GIVEN an unknown rule ID WHEN added THEN it fails with the value and the known IDs', () => {
    const { stack } = guardedStack();

    expect(() => GuardSuppressions.add(stack, { ruleId: 'SafeLambda-Latest', reason: REASON }))
      .toThrow(/GuardSuppressions.add\(Stack\): unknown ruleId 'SafeLambda-Latest'. Use one of the GuardRules IDs: SafeLambda-LatestBinding, /);
  });

  test('GIVEN the unused-suppression rule WHEN added THEN it fails and points at acknowledgeWarning', () => {
    const { stack } = guardedStack();

    expect(() => GuardSuppressions.add(stack, { ruleId: GuardRules.UNUSED_SUPPRESSION, reason: REASON })).toThrow(/acknowledgeWarning/);
  });

  test.each(['', 'too short', '         x'])('GIVEN the reason %j (under 10 characters) WHEN added THEN it fails with the value and an example', (reason) => {
    const { stack } = guardedStack();

    expect(() => GuardSuppressions.add(stack, { ruleId: BINDING, reason })).toThrow(/must be at least 10 characters, got '.*'\. Say why/);
  });

  test('GIVEN an empty appliesTo entry WHEN added THEN it fails and says what entries match', () => {
    const { stack } = guardedStack();

    expect(() => GuardSuppressions.add(stack, { ruleId: BINDING, reason: REASON, appliesTo: [''] })).toThrow(/appliesTo entries must be non-empty strings.*propertyPath/);
  });
});

describe('what a suppression covers', () => {
  test('GIVEN a suppression on the binding resource WHEN checked THEN the finding is flagged suppressed with its reason and synthesis succeeds', () => {
    const { app, stack, fn } = guardedStack();
    const sub = subscribe(stack, fn.function.functionArn);
    GuardSuppressions.add(sub, { ruleId: BINDING, reason: REASON });

    expect(summary(app)).toEqual([`${BINDING} Stack/Sub Properties.Endpoint -> Stack/Fn (suppressed: ${REASON})`]);
    expect(synthError(app)).toBe('');
  });

  test('GIVEN a suppression on a parent WHEN children are created after the call THEN they are covered', () => {
    const { app, stack, fn } = guardedStack();
    const parent = new Construct(stack, 'Parent');
    GuardSuppressions.add(parent, { ruleId: BINDING, reason: REASON });
    subscribe(new Construct(parent, 'Child'), fn.function.functionArn);

    expect(summary(app)).toEqual([`${BINDING} Stack/Parent/Child/Sub Properties.Endpoint -> Stack/Fn (suppressed: ${REASON})`]);
  });

  test('GIVEN a suppression on a sibling WHEN checked THEN the finding is not covered and the suppression is reported unused', () => {
    const { app, stack, fn } = guardedStack();
    GuardSuppressions.add(new Construct(stack, 'Sibling'), { ruleId: BINDING, reason: REASON });
    subscribe(stack, fn.function.functionArn);

    expect(summary(app)).toEqual([
      `${BINDING} Stack/Sub Properties.Endpoint -> Stack/Fn`,
      `${GuardRules.UNUSED_SUPPRESSION} Stack/Sibling  -> `,
    ]);
  });

  test('GIVEN a suppression of another rule WHEN checked THEN the finding is not covered', () => {
    const { app, stack, fn } = guardedStack();
    const sub = subscribe(stack, fn.function.functionArn);
    GuardSuppressions.add(sub, { ruleId: GuardRules.LATEST_GRANT, reason: REASON });

    expect(synthError(app)).toContain(BINDING);
  });

  test('GIVEN appliesTo naming a property path or a function path WHEN checked THEN only those findings are covered', () => {
    const { app, stack, fn } = guardedStack();
    const sub = subscribe(stack, fn.function.functionArn);
    sub.addPropertyOverride('TopicArn', fn.function.functionArn);
    GuardSuppressions.add(sub, { ruleId: BINDING, reason: REASON, appliesTo: ['Properties.TopicArn'] });

    expect(summary(app)).toEqual([
      `${BINDING} Stack/Sub Properties.Endpoint -> Stack/Fn`,
      `${BINDING} Stack/Sub Properties.TopicArn -> Stack/Fn (suppressed: ${REASON})`,
    ]);

    GuardSuppressions.add(stack, { ruleId: BINDING, reason: REASON, appliesTo: ['Stack/Fn'] });
    expect(summary(app).filter((l) => !l.includes('suppressed'))).toEqual([]);
  });

  test('GIVEN a suppression that matches nothing WHEN synthesized THEN an acknowledgeable warning names it', () => {
    const { app, stack } = guardedStack();
    GuardSuppressions.add(stack, { ruleId: BINDING, reason: REASON, appliesTo: ['Properties.Nowhere'] });

    expect(synthError(app)).toBe('');
    Annotations.fromStack(stack).hasWarning('/Stack', Match.stringLikeRegexp(
      `\\[${GuardRules.UNUSED_SUPPRESSION}\\] the suppression of ${BINDING} on Stack with appliesTo \\['Properties.Nowhere'\\].*matched no finding.*\\[ack: ${GuardRules.UNUSED_SUPPRESSION}\\]`));
  });

  test('GIVEN a suppressed finding WHEN synthesized THEN it shows as an info annotation with its reason', () => {
    const { app, stack, fn } = guardedStack();
    GuardSuppressions.add(subscribe(stack, fn.function.functionArn), { ruleId: BINDING, reason: REASON });

    Annotations.fromStack(stack).hasInfo('/Stack/Sub', Match.stringLikeRegexp(`^\\[suppressed: ${REASON}\\] \\[${BINDING}\\] Stack/Sub: Properties.Endpoint binds`));
    expect(app.node.children).toContain(stack);
  });

  test('GIVEN a suppression WHEN synthesized THEN it is construct metadata, not template metadata', () => {
    const { stack, fn } = guardedStack();
    const sub = subscribe(stack, fn.function.functionArn);
    GuardSuppressions.add(sub, { ruleId: BINDING, reason: REASON });

    expect(sub.node.metadata.map((m) => m.type)).toContain('cdk-safe-lambda:guard-suppression');
    expect(Template.fromStack(stack).toJSON().Resources.Sub.Metadata).toBeUndefined();
  });
});

describe('CDK acknowledgements', () => {
  test('GIVEN Annotations.acknowledgeWarning of a warning-level rule WHEN synthesized THEN the warning is gone and the finding shows as suppressed', () => {
    const { app, stack, fn } = guardedStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    fn.function.grantInvoke(role);
    CoreAnnotations.of(role).acknowledgeWarning(GuardRules.LATEST_GRANT, 'the role is for break-glass debugging');

    expect(summary(app)).toEqual([
      `${GuardRules.LATEST_GRANT} Stack/Role/DefaultPolicy/Resource Properties.PolicyDocument.Statement[0].Resource[0] -> Stack/Fn `
      + `(suppressed: acknowledged with Annotations.acknowledgeWarning('${GuardRules.LATEST_GRANT}'))`,
    ]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(GuardRules.LATEST_GRANT));
  });

  test('GIVEN FailureMode.WARNING and acknowledgeWarning on the stack WHEN synthesized THEN no warning remains', () => {
    const { stack } = warningModeBinding();
    CoreAnnotations.of(stack).acknowledgeWarning(BINDING, 'rolled out in warning mode first');

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(BINDING));
  });

  test('GIVEN an error-level rule acknowledged with acknowledgeWarning WHEN synthesized THEN it still fails (only warnings are acknowledgeable)', () => {
    const { app, stack, fn } = guardedStack();
    subscribe(stack, fn.function.functionArn);
    CoreAnnotations.of(stack).acknowledgeWarning(BINDING, 'this does not silence an error');

    expect(synthError(app)).toContain(BINDING);
  });

  test.each([BINDING, `Annotation::${BINDING}`])('GIVEN aws:cdk:acknowledged-rules metadata for %j WHEN synthesized THEN the finding is suppressed with its reason', (id) => {
    const { app, stack, fn } = guardedStack();
    subscribe(stack, fn.function.functionArn);
    stack.node.addMetadata('aws:cdk:acknowledged-rules', { [id]: REASON });

    expect(NoLatestInvocations.findings(app).map(line)).toEqual([`${BINDING} Stack/Sub Properties.Endpoint -> Stack/Fn (suppressed: ${REASON})`]);
    expect(synthError(app)).toBe('');
  });
});
