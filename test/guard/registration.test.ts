import { App, Aspects, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { ENV, plainFunction, safeFunction, subscribe, synthError } from './guard-test-app';
import { FailureMode, GuardedFunctions, GuardRules, NoLatestInvocations } from '../../src';

const BINDING = GuardRules.LATEST_BINDING;

function guardsOn(scope: IConstruct): NoLatestInvocations[] {
  return Aspects.of(scope).all.filter((a): a is NoLatestInvocations => a instanceof NoLatestInvocations);
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('every SafeFunction registers the guard on its Stage', () => {
  test('GIVEN two SafeFunctions in two stacks of an app WHEN created THEN the app holds exactly one guard', () => {
    const app = new App();
    safeFunction(new Stack(app, 'A', { env: ENV }));
    safeFunction(new Stack(app, 'B', { env: ENV }), 'Other');

    expect(guardsOn(app)).toHaveLength(1);
  });

  test('GIVEN a SafeFunction in a nested Stage (where App aspects do not reach) WHEN the app is synthesized THEN its Stage guard fails synthesis', () => {
    const app = new App();
    const stage = new Stage(app, 'Beta');
    const stack = new Stack(stage, 'Stack', { env: ENV });
    subscribe(stack, safeFunction(stack).function.functionArn);

    expect(guardsOn(stage)).toHaveLength(1);
    expect(guardsOn(app)).toHaveLength(0);
    expect(synthError(app)).toContain(`[Beta/Stack/Sub] [${BINDING}] Beta/Stack/Sub: Properties.Endpoint binds $LATEST of Beta/Stack/Fn`);
    expect(synthError(app)).toContain(`[${BINDING}] Beta/Stack/Sub binds Properties.Endpoint to the unqualified ARN of Beta/Stack/Fn`);
  });

  test('GIVEN a guard the user added to the App WHEN the SafeFunction is in a Stage THEN the user guard does not see it but the Stage guard does', () => {
    const app = new App();
    Aspects.of(app).add(new NoLatestInvocations({ failureMode: FailureMode.WARNING }));
    const stack = new Stack(new Stage(app, 'Beta'), 'Stack', { env: ENV });
    subscribe(stack, safeFunction(stack).function.functionArn);

    expect(synthError(app)).toContain(BINDING);
  });

  test('GIVEN guard: false WHEN the inner function is bound unqualified THEN no guard is added and synthesis succeeds', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    subscribe(stack, safeFunction(stack, 'Fn', { guard: false }).function.functionArn);

    expect(guardsOn(app)).toHaveLength(0);
    expect(synthError(app)).toBe('');
  });

  test('GIVEN guard: false next to a guarded SafeFunction WHEN both are bound unqualified THEN the automatic guard only refuses the guarded one', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    subscribe(stack, safeFunction(stack, 'Off', { guard: false }).function.functionArn, 'OffSub');
    subscribe(stack, safeFunction(stack, 'On').function.functionArn, 'OnSub');

    const error = synthError(app);
    expect(error).toContain('[Stack/OnSub]');
    expect(error).not.toContain('[Stack/OffSub]');
  });

  test('GIVEN guard: false and a guard the user added WHEN bound unqualified THEN the user guard still covers it', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    subscribe(stack, safeFunction(stack, 'Fn', { guard: false }).function.functionArn);
    Aspects.of(app).add(new NoLatestInvocations());

    expect(synthError(app)).toContain('[Stack/Sub]');
  });
});

describe('several guards on one Stage report a finding once', () => {
  test('GIVEN the automatic guard and two user guards WHEN synthesized THEN each finding is reported once', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    subscribe(stack, safeFunction(stack).function.functionArn);
    Aspects.of(app).add(new NoLatestInvocations());
    Aspects.of(stack).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));

    const error = synthError(app);
    expect(occurrences(error, `[${BINDING}] Stack/Sub binds`)).toBe(1);
  });

  test('GIVEN a user guard in WARNING mode next to the automatic guard WHEN synthesized THEN the user guard decides: a warning, no error', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    subscribe(stack, safeFunction(stack).function.functionArn);
    Aspects.of(app).add(new NoLatestInvocations({ failureMode: FailureMode.WARNING }));

    expect(synthError(app)).toBe('');
    Annotations.fromStack(stack).hasWarning('/Stack/Sub', Match.stringLikeRegexp(BINDING));
  });

  test('GIVEN a user guard with ALL next to the automatic guard WHEN a plain function is bound THEN it is reported too', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    safeFunction(stack);
    subscribe(stack, plainFunction(stack).functionArn);
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));

    expect(synthError(app)).toContain('[Stack/Sub]');
  });

  test('GIVEN an app synthesized a second time WHEN it has findings THEN each error is still reported once', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    subscribe(stack, safeFunction(stack).function.functionArn);

    expect(occurrences(synthError(app), `[${BINDING}] Stack/Sub binds`)).toBe(1);
    expect(occurrences(synthError(app), `[${BINDING}] Stack/Sub binds`)).toBe(1);
  });
});
