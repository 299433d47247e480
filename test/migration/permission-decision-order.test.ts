import { App, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MakeFunctionsSafe } from '../../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #16 §3: a permission moves only with a binding that actually moved. A grant of its own (not
// brought by the binding) moves when its invoker's call moves; that is decided after the migration
// decides which bindings it leaves, so a grant never moves for a call that was left on the bare function.

interface OrderCase {
  readonly name: string;
  /** The caller's environment, naming `worker`. */
  readonly environment: (worker: lambda.Function) => Record<string, string>;
  readonly inStage: boolean;
  /** Whether the caller's call (`W1`) moves to the alias, and so its grant with it. */
  readonly moves: boolean;
}

const CASES: OrderCase[] = [
  {
    name: 'the call moves with nothing holding it back',
    environment: (w) => ({ W1: w.functionArn }),
    inStage: false,
    moves: true,
  },
  {
    name: 'the call is left with another property naming the function `:$LATEST` (they move together)',
    environment: (w) => ({ W1: w.functionArn, W2: `${w.functionArn}:$LATEST` }),
    inStage: false,
    moves: false,
  },
  {
    name: 'the call is left with another property naming the function `:$LATEST`, in a Stage',
    environment: (w) => ({ W1: w.functionArn, W2: `${w.functionArn}:$LATEST` }),
    inStage: true,
    moves: false,
  },
  {
    name: 'the call by name is left with another property naming the function `:$LATEST`',
    environment: (w) => ({ W1: w.functionName, W2: `${w.functionArn}:$LATEST` }),
    inStage: false,
    moves: false,
  },
];

function appOf(c: OrderCase) {
  const app = new App({ context: RECOGNIZE_LAYERS });
  const stack = new Stack(c.inStage ? new Stage(app, 'Prod') : app, 'S');
  const worker = new lambda.Function(stack, 'Worker', plainFunctionProps());
  const caller = new lambda.Function(stack, 'Caller', { ...plainFunctionProps(), environment: c.environment(worker) });
  // A grant of its own, not brought by the call: its invoker is the caller (it runs as the role).
  new iam.Policy(stack, 'InvokeWorker', {
    roles: [caller.role!],
    statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [worker.functionArn] })],
  });
  // The guard would fail synthesis on the `:$LATEST` left: these tests read the template.
  MakeFunctionsSafe.applyTo(app, { guard: false });
  return { stack, workerId: stack.resolve((worker.node.defaultChild as lambda.CfnFunction).logicalId) as string };
}

describe('MakeFunctionsSafe: a grant moves only with a call that moved', () => {
  test.each(CASES)('GIVEN a grant of its own and $name WHEN migrating THEN the grant allows what the caller invokes', (c) => {
    const { stack, workerId } = appOf(c);
    const template = Template.fromStack(stack);
    const caller = Object.values(template.findResources('AWS::Lambda::Function')).find((r) => r.Properties.Environment)!;
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('InvokeWorker') } }));
    const called = JSON.stringify(caller.Properties.Environment.Variables.W1);
    const allowed = JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource);
    const bare = c.moves ? /WorkerSafe|:live/ : new RegExp(`^(\\{"Fn::GetAtt":\\["${workerId}","Arn"\\]\\}|\\{"Ref":"${workerId}"\\})$`);
    expect(called).toMatch(bare);
    expect(allowed).toMatch(c.moves ? /WorkerSafe/ : new RegExp(`^\\{"Fn::GetAtt":\\["${workerId}","Arn"\\]\\}$`));
    if (!c.moves) {
      Annotations.fromStack(stack).hasInfo('*', Match.stringLikeRegexp('still allows .*Worker itself, not its alias'));
    }
  });
});
