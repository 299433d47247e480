import { Annotations as CoreAnnotations, Duration, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { newSafeFunction, newStack } from './release-helpers';
import { ReleaseWarnings, TrafficShift } from '../../src';

describe('pinning', () => {
  test('pinnedVersion points live at an existing version and warns while pinned', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const fn = newSafeFunction(stack, { pinnedVersion: '7' });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', FunctionVersion: '7' });
    template.resourceCountIs('AWS::Lambda::Version', 1); // the current version is still published
    expect(fn.version.version).toBe('7');
    Annotations.fromStack(stack).hasWarning('/Default/Fn', Match.stringLikeRegexp(
      `^Default/Fn: the alias 'live' is pinned to version 7, .*Fix: remove pinnedVersion once the fix is released.*${ReleaseWarnings.PINNED_VERSION}`));
  });

  test('the pinned-version warning can be acknowledged', () => {
    // GIVEN
    const stack = newStack();
    const fn = newSafeFunction(stack, { pinnedVersion: '7' });

    // WHEN
    CoreAnnotations.of(fn).acknowledgeWarning(ReleaseWarnings.PINNED_VERSION, 'rolled back during incident 42');

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('pinned'));
  });

  test('a pinned stage alias gives no warning: pinning is what stage aliases are for', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { stageAliases: [{ aliasName: 'prod', pinnedVersion: '3' }] });

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('pinned'));
  });

  test('a pinned version given as a token passes', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { pinnedVersion: Token.asString({ Ref: 'RollbackVersion' }) });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', { FunctionVersion: { Ref: 'RollbackVersion' } });
  });
});

describe('weighted routing', () => {
  test('splits live between the stable version and the current one', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const fn = newSafeFunction(stack, { weightedRouting: { stableVersion: '7', newVersionWeight: 0.1 } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionVersion: '7',
      RoutingConfig: { AdditionalVersionWeights: [{ FunctionVersion: stack.resolve(fn.currentVersion.version), FunctionWeight: 0.1 }] },
    });
  });

  test('a stage alias can split its traffic too', () => {
    // GIVEN
    const stack = newStack();
    const fn = newSafeFunction(stack);

    // WHEN
    fn.addStageAlias('beta', { weightedRouting: { stableVersion: '2', newVersionWeight: 0.5 } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'beta', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: [Match.objectLike({ FunctionWeight: 0.5 })] },
    });
  });
});

describe('pinning and weighted routing: bad input', () => {
  test('fails when pinning while shifting traffic', () => {
    expect(() => newSafeFunction(newStack(), { pinnedVersion: '7', deployment: { trafficShift: TrafficShift.canary(10, Duration.minutes(5)) } }))
      .toThrow('Default/Fn: pinnedVersion ("7") and deployment are both set, but CodeDeploy moves \'live\' itself. '
        + 'Remove deployment while pinnedVersion is set (put it back to release), or remove pinnedVersion.');
  });

  test('fails when splitting traffic while shifting traffic', () => {
    expect(() => newSafeFunction(newStack(), { weightedRouting: { stableVersion: '7', newVersionWeight: 0.2 }, deployment: {} }))
      .toThrow(/^Default\/Fn: weightedRouting \(.*\) and deployment are both set, but CodeDeploy moves 'live' itself. Remove deployment while weightedRouting is set/);
  });

  test('fails when pinning and splitting at once', () => {
    expect(() => newSafeFunction(newStack(), { pinnedVersion: '7', weightedRouting: { stableVersion: '6', newVersionWeight: 0.2 } }))
      .toThrow('Default/Fn: pinnedVersion (\'7\') and weightedRouting are both set, but a pinned alias serves one version. '
        + 'Remove weightedRouting to pin, or pinnedVersion to split traffic.');
  });

  test.each([0, 1, -0.5, 1.5])('fails for a new-version weight of %p', (weight) => {
    expect(() => newSafeFunction(newStack(), { weightedRouting: { stableVersion: '7', newVersionWeight: weight } }))
      .toThrow(`Default/Fn: weightedRouting.newVersionWeight must be strictly between 0 and 1, got ${weight}. Use for example 0.1`);
  });

  test.each(['$LATEST', 'live', '0', '07', '1.5', ''])('fails for the pinned version %p', (version) => {
    expect(() => newSafeFunction(newStack(), { pinnedVersion: version }))
      .toThrow(`Default/Fn: pinnedVersion must be a published version number such as '7', got '${version}'.`);
  });

  test('fails for a split without a stable version number', () => {
    expect(() => newSafeFunction(newStack(), { weightedRouting: { stableVersion: '', newVersionWeight: 0.1 } }))
      .toThrow('Default/Fn: weightedRouting.stableVersion must be a published version number such as \'7\', got \'\'.');
  });

  test('fails for a stage alias pinned to something that is not a version, naming the alias', () => {
    expect(() => newSafeFunction(newStack(), { stageAliases: [{ aliasName: 'prod', pinnedVersion: 'live' }] }))
      .toThrow('Default/Fn: stage alias \'prod\': pinnedVersion must be a published version number such as \'7\', got \'live\'.');
  });
});
