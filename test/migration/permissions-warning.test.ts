import { App, Stack, Stage } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { MakeFunctionsSafe } from '../../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #16 §6: aws-cdk-lib's addPermissionsToVersionOrAlias warning is acknowledged only where it is
// contradicted, that is where every invoke permission and grant of the function moved to its alias.
// Where one deliberately stays on the bare function (a deploy-time caller's grant, an invoker outside
// the app), not every permission moved, so the warning stays.

const ENV = { account: '123456789012', region: 'us-east-1' };
const PERMISSIONS_WARNING = 'addPermissionsToVersionOrAlias';

interface WarningCase {
  readonly name: string;
  /** What the app adds beside an EventBridge rule bound to `fn` (whose permission moves). */
  readonly add: (stack: Stack, fn: lambda.Function) => void;
  readonly inStage?: boolean;
  /** Whether aws-cdk-lib's warning is printed on the function after the migration. */
  readonly warns: boolean;
}

const invoke = (fn: lambda.IFunction): cr.AwsSdkCall => ({
  service: 'Lambda', action: 'invoke', parameters: { FunctionName: fn.functionName }, physicalResourceId: cr.PhysicalResourceId.of('seed'),
});

const CASES: WarningCase[] = [
  { name: 'nothing else (every permission moved)', add: () => undefined, warns: false },
  {
    name: 'a function whose grant moves with the call in its environment',
    add: (stack, fn) => fn.grantInvoke(new lambda.Function(stack, 'Caller', { ...plainFunctionProps(), environment: { FN: fn.functionName } })),
    warns: false,
  },
  {
    name: 'an AwsCustomResource invoking it, whose grant stays with its deploy-time call',
    add: (stack, fn) => fn.grantInvoke(new cr.AwsCustomResource(stack, 'Seed', {
      onCreate: invoke(fn), policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    })),
    warns: true,
  },
  {
    name: 'a grant to a role of another account, which stays',
    add: (stack, fn) => fn.grantInvoke(new iam.Role(stack, 'External', { assumedBy: new iam.AccountPrincipal('210987654321') })),
    warns: true,
  },
  {
    name: 'a grant to a role of another account, which stays, in a Stage',
    add: (stack, fn) => fn.grantInvoke(new iam.Role(stack, 'External', { assumedBy: new iam.AccountPrincipal('210987654321') })),
    inStage: true,
    warns: true,
  },
  {
    name: 'a permission for another account, which stays',
    add: (_stack, fn) => fn.addPermission('External', { principal: new iam.AccountPrincipal('210987654321') }),
    warns: true,
  },
];

describe('MakeFunctionsSafe: aws-cdk-lib\'s addPermissionsToVersionOrAlias warning', () => {
  test.each(CASES)('GIVEN a rule bound to the function and $name WHEN migrated THEN the warning is printed only if a permission stayed', (c) => {
    const app = new App({ context: { ...RECOGNIZE_LAYERS, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(c.inStage ? new Stage(app, 'Prod') : app, 'S', { env: ENV });
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    c.add(stack, fn);
    MakeFunctionsSafe.applyTo(app);
    const assembly = c.inStage ? (app.synth(), Stage.of(stack)!.synth()) : app.synth();
    const warnings = assembly.getStackArtifact(stack.artifactId).findMetadataByType('aws:cdk:warning')
      .filter((m) => m.path === `/${fn.node.path}` && String(m.data).includes(PERMISSIONS_WARNING));
    expect(warnings.length).toBe(c.warns ? 1 : 0);
  });
});
