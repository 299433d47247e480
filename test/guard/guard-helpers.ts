import { App, CfnResource, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { ENV, safeFunction } from './guard-test-app';
import { Finding, GuardRules, NoLatestInvocations, NoLatestInvocationsProps, SafeFunction } from '../../src';
import { RECOGNIZE_LAYERS } from '../fixtures/stacks';
import { referencesLogicalId, valueAt } from '../fixtures/template-paths';

/**
 * An app (with the shared test context) for the tests to add stacks to. Stacks get `ENV`: some
 * integrations need a region.
 */
export function newApp(): App {
  return new App({ context: RECOGNIZE_LAYERS });
}

/** An app with one stack holding one SafeFunction, the usual starting point. */
export function guardedStack(props: StackProps = {}): { app: App; stack: Stack; fn: SafeFunction } {
  const app = newApp();
  const stack = new Stack(app, 'Stack', { env: ENV, ...props });
  return { app, stack, fn: safeFunction(stack) };
}

/** The guard's findings for `scope`, without synthesizing, sorted so that tests can compare lists. */
export function findingsOf(scope: IConstruct, props?: NoLatestInvocationsProps): Finding[] {
  return [...NoLatestInvocations.findings(scope, props)]
    .sort((a, b) => a.ruleId.localeCompare(b.ruleId)
      || a.resourcePath.localeCompare(b.resourcePath)
      || a.propertyPath.localeCompare(b.propertyPath));
}

/** Rules whose findings are warnings in the default (ERROR) mode: they never fail synthesis. */
const WARNING_RULES: string[] = [GuardRules.LATEST_GRANT, GuardRules.UNUSED_SUPPRESSION, GuardRules.GUARD_INTERNAL_ERROR];

/**
 * Asserts the findings of `scope` (see `findingsOf`), then that synthesizing its app agrees with them:
 * it fails naming the first error finding's rule and resource, or succeeds when there is none.
 * `synth: false` checks the findings only.
 */
export function expectFindings(scope: IConstruct, expected: Array<Partial<Finding>>, options: { synth?: boolean } = {}): void {
  const actual = findingsOf(scope);
  expect(actual).toEqual(expected);
  if (options.synth === false) {
    return;
  }
  const app = scope.node.root as App;
  const error = actual.find(f => !WARNING_RULES.includes(f.ruleId));
  if (error) {
    expect(() => app.synth()).toThrow(`[${error.resourcePath}] [${error.ruleId}]`);
  } else {
    expect(() => app.synth()).not.toThrow();
  }
}

/** The findings of one rule. */
export function findingsFor(ruleId: string, scope: IConstruct, props?: NoLatestInvocationsProps): Finding[] {
  return findingsOf(scope, props).filter(f => f.ruleId === ruleId);
}

/**
 * What an unsuppressed finding of `ruleId` on `resource` at `propertyPath` looks like. The guarded
 * function is named by the SafeFunction's path when it is a SafeFunction's inner function.
 */
export function finding(ruleId: string, resource: IConstruct, propertyPath: string, fn: SafeFunction | lambda.Function): Partial<Finding> {
  return expect.objectContaining({
    ruleId,
    resourcePath: resource.node.path,
    propertyPath,
    functionPath: fn.node.path,
    suppressed: false,
  });
}

/** A `SafeLambda-LatestBinding` finding (the guard's main rule). */
export function bindingFinding(resource: IConstruct, propertyPath: string, fn: SafeFunction | lambda.Function): Partial<Finding> {
  return finding(GuardRules.LATEST_BINDING, resource, propertyPath, fn);
}

/** The L1 resource `scope` is, or stands for (its default child, or the one CfnResource of `type` below it). */
export function cfnOf(scope: IConstruct, type?: string): CfnResource {
  if (CfnResource.isCfnResource(scope) && !type) {
    return scope;
  }
  const all = [scope, ...scope.node.findAll()].filter((c): c is CfnResource => CfnResource.isCfnResource(c));
  const matching = type ? all.filter(c => c.cfnResourceType === type) : [scope.node.defaultChild as CfnResource];
  if (matching.length !== 1 || !matching[0]) {
    throw new Error(`expected one ${type ?? 'default child'} under ${scope.node.path}, found ${matching.length}`);
  }
  return matching[0];
}

/** The logical ID of a construct's L1 resource, as its own stack renders it. */
export function logicalIdOf(scope: IConstruct): string {
  const cfn = cfnOf(scope);
  return Stack.of(cfn).resolve(cfn.logicalId);
}

/**
 * The resources of `type` under `root` whose value at `propertyPath` names the function `fn`
 * (a Ref or GetAtt of its logical ID, possibly inside a Fn::Join): where the guard must report.
 * Read from the tree, not from a synthesized template, because a refused binding fails synthesis.
 */
export function resourcesBinding(root: IConstruct, type: string, propertyPath: string, fn: lambda.Function): CfnResource[] {
  const fnStack = Stack.of(fn);
  const fnId = logicalIdOf(fn);
  return root.node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === type)
    .filter((r) => {
      // Logical IDs are unique per stack only: compare within the function's stack.
      if (Stack.of(r) !== fnStack) {
        return false;
      }
      const rendered = fnStack.resolve((r as any)._toCloudFormation()) as { Resources: Record<string, unknown> };
      return Object.values(rendered.Resources).some(entry => referencesLogicalId(valueAt(entry, propertyPath), fnId));
    });
}
