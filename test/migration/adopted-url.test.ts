import { App, Aspects, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { GuardedFunctions, MakeFunctionsSafe, NoLatestInvocations } from '../../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #16 §5: a function URL the migration leaves on the bare function is the user's choice, said as
// a warning with both choices and a suppressed finding with the reason, also for a function bound
// through the `live` alias the user made (adopted): a user's guard over every function passes synthesis.

interface UrlCase {
  readonly name: string;
  readonly inStage: boolean;
  /** The user's own guard over every function, beside the migration's automatic one. */
  readonly userGuard: boolean;
}

const CASES: UrlCase[] = [
  { name: 'no guard of the user', inStage: false, userGuard: false },
  { name: 'the user\'s guard with GuardedFunctions.ALL', inStage: false, userGuard: true },
  { name: 'the user\'s guard with GuardedFunctions.ALL, in a Stage', inStage: true, userGuard: true },
];

describe('MakeFunctionsSafe: a function URL left on a function with its own live alias', () => {
  test.each(CASES)('GIVEN an adopted alias, a URL and $name WHEN migrated THEN synth passes, warning with both choices', (c) => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(c.inStage ? new Stage(app, 'Prod') : app, 'S');
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    if (c.userGuard) {
      Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
    }
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('*', Match.stringLikeRegexp('MakeFunctionsSafe left .*FunctionUrl.* on \\$LATEST[\\s\\S]*replaceClientHeldResources: true'));
    expect(annotations.findWarning('*', Match.stringLikeRegexp('Unused|unused|LatestBinding|LatestPermission'))).toEqual([]);
    const findings = NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => f.resourcePath.includes('FunctionUrl'));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => [f.suppressed, f.suppressionReason])).toEqual(findings.map(() => [true, expect.stringMatching(/left it for you to choose/)]));
  });
});
