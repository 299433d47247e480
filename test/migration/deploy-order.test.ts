import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { AssemblyView, cycleOf, iamCovers, Named, reaches } from './deploy-invariants';
import { Finding, GuardedFunctions, MakeFunctionsSafe, NoLatestInvocations } from '../../src';
import { INTEGRATION_CASES } from '../fixtures/integrations';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';
import { valueAt } from '../fixtures/template-paths';

// Issue #16 §3, over every integration kind: after the migration, every binding's target has a
// permission or grant for that exact qualifier (a permission moves only with its binding), every
// rebound invoker is ordered after the permission of its new target (or the cycle that forbids it is
// said), the template has no dependency cycle, and resources unrelated to a function are byte-identical.

const ENV = { account: '123456789012', region: 'us-east-1' };
const CASES = INTEGRATION_CASES.filter((c) => !c.guardIgnores);

interface Built {
  readonly app: App;
  readonly stack: Stack;
  readonly fn: lambda.Function;
}

function build(c: typeof CASES[number]): Built {
  const app = new App({ context: { ...RECOGNIZE_LAYERS, 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'S', { env: ENV });
  const fn = new lambda.Function(stack, 'Target', plainFunctionProps());
  c.bind(stack, fn);
  return { app, stack, fn };
}

function at(app: App, path: string): IConstruct | undefined {
  let node: IConstruct | undefined = app;
  for (const id of path.split('/')) {
    node = node?.node.tryFindChild(id);
  }
  return node;
}

function idOf(stack: Stack, construct: IConstruct | undefined): string | undefined {
  return CfnResource.isCfnResource(construct as any) ? stack.resolve((construct as CfnResource).logicalId) : undefined;
}

/** The migrated app, its template, and the findings of the plain app (the groups: a binding with what its integration brought). */
function migrated(c: typeof CASES[number]): { built: Built; template: any; view: AssemblyView; groups: Finding[]; fnId: string } {
  const built = build(c);
  const groups = NoLatestInvocations.findings(built.app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed && f.functionPath !== '');
  MakeFunctionsSafe.applyTo(built.app);
  const template = built.app.synth().getStackByName('S').template;
  const fnId = idOf(built.stack, built.fn.node.defaultChild)!;
  return { built, template, view: new AssemblyView({ S: template }), groups, fnId };
}

/** The qualifier a resource's property binds the function with (a `Qualifier` beside a bare name counts). */
function boundQualifier(view: AssemblyView, template: any, id: string, propertyPath: string, fnId: string): string | undefined {
  const named = view.named('S', valueAt(template.Resources[id], propertyPath)).filter((n) => n.fn === fnId);
  if (named.length === 0) {
    return undefined;
  }
  const qualifier = template.Resources[id].Properties?.Qualifier;
  return named[0].qualifier === '' && typeof qualifier === 'string' && qualifier !== '$LATEST' ? qualifier : named[0].qualifier;
}

/** Whether the permission or grant `id` allows the function at `qualifier`: a permission exactly, a grant as IAM reads it. */
function allows(view: AssemblyView, template: any, id: string, fnId: string, qualifier: string): boolean {
  const resource = template.Resources[id];
  const call: Named = { stack: 'S', fn: fnId, qualifier };
  if (resource.Type === 'AWS::Lambda::Permission') {
    return view.named('S', resource.Properties.FunctionName).some((n) => n.fn === fnId && n.qualifier === qualifier);
  }
  const documents = [resource.Properties.PolicyDocument, ...(resource.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)].filter(Boolean);
  const resources = documents.flatMap((d: any) => d.Statement ?? []).flatMap((s: any) => [s.Resource].flat());
  return iamCovers(view.named('S', resources), resources.filter((r: unknown): r is string => typeof r === 'string'), call);
}

describe.each(CASES.map((c) => [c.name, c]))('%s after MakeFunctionsSafe', (_name, c) => {
  test('GIVEN the migrated app WHEN reading each binding THEN the permissions its integration brought allow exactly the qualifier it binds', () => {
    const { built, template, view, groups, fnId } = migrated(c);
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      const bindingId = idOf(built.stack, at(built.app, group.resourcePath));
      if (!bindingId) {
        continue;
      }
      const qualifier = boundQualifier(view, template, bindingId, group.propertyPath, fnId);
      for (const member of group.relatedResources ?? []) {
        const memberId = idOf(built.stack, at(built.app, member.resourcePath))!;
        expect({ member: member.resourcePath, allows: allows(view, template, memberId, fnId, qualifier ?? '') })
          .toEqual({ member: member.resourcePath, allows: true });
      }
    }
  });

  test('GIVEN the migrated app WHEN deploying THEN each rebound invoker waits for its new permission or grant, or the cycle that forbids it is said', () => {
    const { built, template, groups, fnId, view } = migrated(c);
    const infos = Annotations.fromStack(built.stack).findInfo('*', Match.stringLikeRegexp('ordered after the alias\'s permission'))
      .map((i) => String(i.entry.data));
    for (const group of groups) {
      const bindingId = idOf(built.stack, at(built.app, group.resourcePath));
      if (!bindingId || boundQualifier(view, template, bindingId, group.propertyPath, fnId) !== 'live') {
        continue;
      }
      // A REST API's method or authorizer is served by its stages, through a deployment: they are what moves.
      const invokers = template.Resources[bindingId].Type.startsWith('AWS::ApiGateway::')
        ? Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::ApiGateway::Stage') : [bindingId];
      for (const member of group.relatedResources ?? []) {
        const permissionId = idOf(built.stack, at(built.app, member.resourcePath))!;
        for (const invoker of invokers) {
          const ordered = reaches(template, invoker, permissionId);
          const said = reaches(template, permissionId, invoker) && infos.some((i) => i.includes(member.resourcePath));
          expect({ invoker, permission: member.resourcePath, orderedOrSaid: ordered || said })
            .toEqual({ invoker, permission: member.resourcePath, orderedOrSaid: true });
        }
      }
    }
  });

  test('GIVEN the migrated app WHEN deploying THEN every permission of the bare function is kept or replaced, so it lasts until cleanup', () => {
    // A permission that keeps its logical ID and changes FunctionName is replaced: CloudFormation creates the
    // new one during the update and deletes the old one in the cleanup phase, after every invoker has moved.
    const plain = build(c);
    const before = plain.app.synth().getStackByName('S').template;
    const { template: after } = migrated(c);
    const fnId = idOf(plain.stack, plain.fn.node.defaultChild)!;
    const view = new AssemblyView({ S: before });
    const bare = Object.keys(before.Resources).filter((id) => before.Resources[id].Type === 'AWS::Lambda::Permission'
      && view.named('S', before.Resources[id].Properties.FunctionName).some((n) => n.fn === fnId && n.qualifier === ''));
    for (const id of bare) {
      expect({ id, type: after.Resources[id]?.Type }).toEqual({ id, type: 'AWS::Lambda::Permission' });
    }
  });

  test('GIVEN the migrated app WHEN deploying THEN no dependency cycle exists', () => {
    const { template } = migrated(c);
    expect(cycleOf(template)).toBeUndefined();
  });

  test('GIVEN the migrated app WHEN compared with the plain one THEN every resource unrelated to a function is byte-identical', () => {
    const plain = build(c);
    const before = plain.app.synth().getStackByName('S').template;
    const { template: after } = migrated(c);
    const lambdaIds = Object.keys(before.Resources).filter((id) => before.Resources[id].Type.startsWith('AWS::Lambda::'));
    const related = (id: string) => lambdaIds.some((l) => JSON.stringify(before.Resources[id]).includes(`"${l}"`))
      || /^AWS::ApiGateway(V2)?::(Deployment|Stage)$/.test(before.Resources[id].Type);
    for (const id of Object.keys(before.Resources).filter((r) => !related(r))) {
      expect({ id, entry: after.Resources[id] }).toEqual({ id, entry: before.Resources[id] });
    }
  });
});
