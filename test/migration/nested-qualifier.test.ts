import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { GuardedFunctions, MakeFunctionsSafe, NoLatestInvocations } from '../../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #16 §1: a resource that qualifies the function in a property of its own, even one nested away
// from where it names the function (an SSM maintenance window task's
// TaskInvocationParameters.MaintenanceWindowLambdaParameters.Qualifier), keeps the function and gets the
// alias name there, as a SafeAlias-native app renders it; never the alias ARN with `$LATEST` beside it.

interface TaskCase {
  readonly name: string;
  /** The task's Qualifier as written, or undefined for none. */
  readonly qualifier?: string;
  /** How the function is named in TaskArn. */
  readonly by: 'arn' | 'name';
}

const CASES: TaskCase[] = [
  { name: 'a Qualifier of $LATEST, the function by ARN', qualifier: '$LATEST', by: 'arn' },
  { name: 'a Qualifier of $LATEST, the function by name', qualifier: '$LATEST', by: 'name' },
  { name: 'no Qualifier, the function by ARN', by: 'arn' },
];

describe('MakeFunctionsSafe: an SSM maintenance window task', () => {
  test.each(CASES)('GIVEN a Lambda task with $name WHEN migrating THEN it invokes the alias, as a SafeAlias renders it', (c) => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'S');
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    new ssm.CfnMaintenanceWindowTask(stack, 'Task', {
      windowId: 'mw-0123456789abcdef0',
      taskType: 'LAMBDA',
      priority: 1,
      taskArn: c.by === 'arn' ? fn.functionArn : fn.functionName,
      ...(c.qualifier ? { taskInvocationParameters: { maintenanceWindowLambdaParameters: { qualifier: c.qualifier } } } : {}),
    });
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    const [task] = Object.values(Template.fromStack(stack).findResources('AWS::SSM::MaintenanceWindowTask'));
    const qualifier = task.Properties.TaskInvocationParameters?.MaintenanceWindowLambdaParameters?.Qualifier;
    const taskArn = JSON.stringify(task.Properties.TaskArn);
    if (c.qualifier) {
      expect(qualifier).toEqual('live');
      expect(taskArn).not.toMatch(/FnSafe|:live/);
    } else {
      expect(qualifier).toBeUndefined();
      expect(taskArn).toMatch(/FnSafe/);
    }
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed)).toEqual([]);
  });
});
