import { App, Aspects, Fn, Stack } from 'aws-cdk-lib';
import { ENV, guardedStack, plainFunction, safeFunction, subscribe, synthError } from './guard-test-app';
import { GuardedFunctions, GuardRules, NoLatestInvocations } from '../../src';

// issue #19 §4: a failed synthesis lists one short line per finding first, then the details.
const BINDING = GuardRules.LATEST_BINDING;

describe('errors a person reads', () => {
  test('a failed synthesis with 7 findings starts with 7 headlines of at most 120 characters, then the details', () => {
    const { app, stack, fn } = guardedStack();
    for (let i = 0; i < 7; i++) {
      subscribe(stack, fn.function.functionArn, `Sub${i}`);
    }

    const lines = synthError(app).split('\n');

    expect(lines[0]).toBe('Validation failed with the following errors:');
    expect(lines[1]).toMatch(/cdk-safe-lambda: 7 findings of the \$LATEST guard fail synthesis/);
    const headlines = lines.slice(2, 9);
    expect(headlines.map((l) => l.trim().replace(/^- /, ''))).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) =>
      `[${BINDING}] Stack/Sub${i}: Properties.Endpoint binds $LATEST of Stack/Fn — fix: bind the live alias`));
    expect(lines.slice(2, 9).every((l) => l.trim().length <= 120)).toBe(true);
    // Then each resource's error: its headline, then the complete message (path, value, fix, suppression).
    expect(lines[9]).toMatch(/^\s*\[Stack\/Sub0\] \[SafeLambda-LatestBinding\] Stack\/Sub0: /);
    expect(lines[10]).toMatch(/^\[SafeLambda-LatestBinding\] Stack\/Sub0 binds Properties\.Endpoint to the unqualified ARN of Stack\/Fn.*Fix: .*GuardSuppressions\.add\(/);
  });

  test.each([
    ['a SafeFunction\'s inner function', 'bind the live alias'],
    ['a plain function', 'bind a SafeAlias'],
  ])('the first line of each finding names the rule, the resource, what it binds and the fix in a few words: %s', (_kind, fix) => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const arn = fix === 'bind a SafeAlias' ? plainFunction(stack).functionArn : safeFunction(stack).function.functionArn;
    subscribe(stack, arn);
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));

    const [finding] = NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL });
    const [first, ...details] = finding.message.split('\n');

    expect(first).toMatch(new RegExp(`^\\[${BINDING}\\] Stack/Sub: Properties\\.Endpoint binds \\$LATEST of Stack/\\w+ — fix: ${fix}$`));
    expect(details.join('\n')).toMatch(/binds Properties\.Endpoint to the unqualified ARN.*Fix: .*appliesTo: \['Properties\.Endpoint'\]/);
  });

  test('a headline too long for a terminal is cut in the middle of its paths, and the details keep them whole', () => {
    const app = new App();
    const stack = new Stack(app, 'AVeryLongStackNameForTheOrdersServiceInProduction', { env: ENV });
    const fn = safeFunction(stack, 'TheHandlerOfEveryOrderPlacedThroughThePublicApi');
    subscribe(stack, Fn.join('', [fn.function.functionArn, '']), 'TheSubscriptionThatDeliversEveryOrderEventToTheHandler');

    const [finding] = NoLatestInvocations.findings(app);
    const [first, ...details] = finding.message.split('\n');

    expect(first.length).toBeLessThanOrEqual(120);
    expect(first).toContain('…');
    expect(details.join('\n')).toContain(`${stack.node.path}/TheSubscriptionThatDeliversEveryOrderEventToTheHandler binds Properties.Endpoint`);
  });

  test('where aws-cdk-lib recorded where the resource was created, the details say it', () => {
    const { app, stack, fn } = guardedStack();
    const sub = subscribe(stack, fn.function.functionArn);
    const recorded = sub.creationStack.length > 0;

    const [finding] = NoLatestInvocations.findings(app);

    // Newer aws-cdk-lib records creation stacks by default; older ones only with CDK_DEBUG=true.
    if (recorded) {
      expect(finding.message).toMatch(/\nCreated at [^\n]*guard-test-app\.ts:\d+:\d+\.$/);
    } else {
      expect(finding.message).not.toContain('Created at');
    }
  });
});
