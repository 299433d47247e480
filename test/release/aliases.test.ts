import { Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newSafeFunction, newStack } from './release-helpers';
import { SafeFunction } from '../../src';
import { aliasNameProblem } from '../../src/private/alias-name';

describe('stage aliases', () => {
  test('stage aliases sit next to live, on the current version or a pinned one', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const fn = newSafeFunction(stack, {
      stageAliases: [{ aliasName: 'dev' }, { aliasName: 'prod', pinnedVersion: '7', description: 'production' }],
    });

    // THEN
    const template = Template.fromStack(stack);
    const current = stack.resolve(fn.currentVersion.version);
    template.resourceCountIs('AWS::Lambda::Alias', 3);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', FunctionVersion: current });
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'dev', FunctionVersion: current });
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'prod', FunctionVersion: '7', Description: 'production' });
  });

  test('only live is released through CodeDeploy; stage aliases move in one step', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: {}, stageAliases: [{ aliasName: 'dev' }] });

    // THEN
    const aliases = Template.fromStack(stack).findResources('AWS::Lambda::Alias');
    const updatePolicies = Object.fromEntries(Object.values(aliases).map((a) => [a.Properties.Name, a.UpdatePolicy !== undefined]));
    expect(updatePolicies).toEqual({ live: true, dev: false });
  });

  test('addStageAlias returns the alias, with provisioned concurrency when asked', () => {
    // GIVEN
    const stack = newStack();
    const fn = newSafeFunction(stack);

    // WHEN
    const beta = fn.addStageAlias('beta', { provisionedConcurrentExecutions: 3 });

    // THEN
    expect(beta).toBeInstanceOf(lambda.Alias);
    expect(beta.aliasName).toBe('beta');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'beta', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 3 },
    });
  });

  test('each alias keeps its logical ID whatever other aliases are added or removed, so none replaces another', () => {
    // GIVEN: the same function declared with different sets and orders of stage aliases
    const logicalIds = (names: string[]) => {
      const stack = newStack();
      newSafeFunction(stack, { stageAliases: names.map((aliasName) => ({ aliasName })) });
      const aliases = Template.fromStack(stack).findResources('AWS::Lambda::Alias');
      return Object.fromEntries(Object.entries(aliases).map(([id, r]) => [r.Properties.Name, id]));
    };

    // WHEN
    const first = logicalIds(['dev', 'beta', 'prod']);
    const second = logicalIds(['prod', 'feature-x', 'dev']);

    // THEN
    expect(second.live).toBe(first.live);
    expect(second.dev).toBe(first.dev);
    expect(second.prod).toBe(first.prod);
    expect(new Set(Object.values(second)).size).toBe(4);
  });

  test('stage aliases pinned to the same version share one imported version', () => {
    // GIVEN
    const stack = newStack();
    const fn = newSafeFunction(stack);

    // WHEN
    const beta = fn.addStageAlias('beta', { pinnedVersion: '4' });
    const prod = fn.addStageAlias('prod', { pinnedVersion: '4' });

    // THEN
    expect(beta.version).toBe(prod.version);
  });

  test('a branch alias is a stage alias named after the branch', () => {
    // GIVEN
    const stack = newStack();
    const fn = newSafeFunction(stack);

    // WHEN
    fn.addStageAlias(SafeFunction.aliasNameForBranch('feature/ABC-123'));

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', { Name: SafeFunction.aliasNameForBranch('feature/ABC-123') });
  });
});

describe('stage aliases: bad input', () => {
  test('fails for a stage alias named like the live alias', () => {
    expect(() => newSafeFunction(newStack(), { stageAliases: [{ aliasName: 'live' }] }))
      .toThrow('Default/Fn: the stage alias \'live\' has the name of the live alias. Choose another name');
  });

  test('fails for a stage alias named like a custom live alias name', () => {
    const fn = newSafeFunction(newStack(), { aliasName: 'current' });
    expect(() => fn.addStageAlias('current')).toThrow(/the stage alias 'current' has the name of the live alias/);
  });

  test('fails for a stage alias added twice', () => {
    expect(() => newSafeFunction(newStack(), { stageAliases: [{ aliasName: 'dev' }, { aliasName: 'dev', pinnedVersion: '2' }] }))
      .toThrow('Default/Fn: the stage alias \'dev\' is added twice. Add each stage alias once.');
  });

  test.each([
    ['with a slash', 'feature/x'], ['all digits', '123'], ['$LATEST', '$LATEST'], ['empty', ''], ['of 129 characters', 'x'.repeat(129)],
  ])('fails for an invalid stage alias name: %s', (_label, name) => {
    expect(() => newSafeFunction(newStack()).addStageAlias(name))
      .toThrow(`Default/Fn: invalid stage alias name '${name}': ${aliasNameProblem(name)}. Use 1 to 128 letters`);
  });

  test('fails for a stage alias name known only at deploy time', () => {
    expect(() => newSafeFunction(newStack()).addStageAlias(Token.asString({ Ref: 'Stage' })))
      .toThrow(/is not known at synth time. Pass a literal name: the alias's logical ID is derived from it/);
  });

  test.each([0, 1.5])('fails for a stage alias with %p provisioned concurrent executions', (pc) => {
    expect(() => newSafeFunction(newStack()).addStageAlias('dev', { provisionedConcurrentExecutions: pc }))
      .toThrow(`Default/Fn: stage alias 'dev': provisionedConcurrentExecutions must be a whole number of at least 1, got ${pc}.`);
  });
});

describe('aliasNameForBranch', () => {
  test.each(['main', 'develop', 'release_2', 'Feature-X'])('keeps the valid branch name %p as it is', (branch) => {
    expect(SafeFunction.aliasNameForBranch(branch)).toBe(branch);
  });

  test('sanitizes a branch with a slash and appends a short hash', () => {
    expect(SafeFunction.aliasNameForBranch('feature/ABC-123')).toMatch(/^feature-ABC-123-[0-9a-f]{8}$/);
  });

  test('is stable: the same branch always gives the same alias', () => {
    expect(SafeFunction.aliasNameForBranch('feature/ABC-123')).toBe(SafeFunction.aliasNameForBranch('feature/ABC-123'));
  });

  test('branches that sanitize alike still get different aliases', () => {
    const names = ['feature/a', 'feature-a', 'feature.a', 'feature//a', 'feature a'].map(SafeFunction.aliasNameForBranch);
    expect(new Set(names).size).toBe(names.length);
  });

  test('an all-digit branch never gives an all-digit alias', () => {
    expect(SafeFunction.aliasNameForBranch('1234')).toMatch(/^1234-[0-9a-f]{8}$/);
  });

  test('long branches are cut to 128 characters and stay distinct', () => {
    const a = SafeFunction.aliasNameForBranch(`feature/${'x'.repeat(200)}a`);
    const b = SafeFunction.aliasNameForBranch(`feature/${'x'.repeat(200)}b`);
    expect(a.length).toBeLessThanOrEqual(128);
    expect(a).not.toBe(b);
  });

  test('gives a valid alias name for any branch string', () => {
    const branches = [
      'feature/ABC-123', 'dependabot/npm_and_yarn/aws-cdk-lib-2.189.1', 'ümlaut/ß', '---', '$LATEST', '1234',
      'a'.repeat(300), 'user@host:refs/heads/x', '日本語', '-x-', ' spaced branch ', '0', '_',
    ];
    for (const branch of branches) {
      expect([branch, aliasNameProblem(SafeFunction.aliasNameForBranch(branch))]).toEqual([branch, undefined]);
    }
  });

  test('fails for an empty branch name', () => {
    expect(() => SafeFunction.aliasNameForBranch(''))
      .toThrow('SafeFunction.aliasNameForBranch: the branch name must be a non-empty literal string, got \'\'. Read it at synth time');
  });
});
