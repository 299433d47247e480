import { Annotations, CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { isWarningAcknowledged } from '../../private/acknowledgements';
import { SafeFunctionWarnings } from '../safe-function-warnings';

interface Watched {
  readonly owner: IConstruct;
  readonly live: lambda.Alias;
}

const WATCHED = new WeakMap<Stack, Watched[]>();

/** Properties that take a bare function or log group name: a `name:live` there is a mistake. */
const NAME_SHAPED = /^logGroupName$/i;

/**
 * Warns at synth where `owner`'s qualified `functionName` (`name:live`, cut out of the alias ARN)
 * lands in a log group name (`/aws/lambda/${fn.functionName}`) or a stack output: code written for a
 * plain function, which now gets a name with a colon. One check per stack, however many functions.
 */
export function watchQualifiedNames(owner: IConstruct, live: lambda.Alias): void {
  const stack = Stack.of(owner);
  let watched = WATCHED.get(stack);
  if (!watched) {
    const list: Watched[] = [];
    watched = list;
    WATCHED.set(stack, list);
    stack.node.addValidation({ validate: () => { check(stack, list); return []; } });
  }
  watched.push({ owner, live });
}

function check(stack: Stack, watched: Watched[]): void {
  // lambda.Alias renders its functionName as Fn::Select [6, Fn::Split [':', <alias ARN>]] + ':<alias>'.
  const signatures = watched.map((w) => ({
    ...w,
    signature: JSON.stringify({ 'Fn::Split': [':', stack.resolve(w.live.functionArn)] }),
  }));
  for (const node of stack.node.findAll()) {
    if (Stack.of(node) !== stack) continue;
    for (const [where, value] of nameShapedValues(node)) {
      const text = JSON.stringify(stack.resolve(value)) ?? '';
      for (const { owner, signature } of signatures) {
        if (text.includes(signature) && !isWarningAcknowledged(node, SafeFunctionWarnings.QUALIFIED_NAME_AS_NAME)
          && !isWarningAcknowledged(owner, SafeFunctionWarnings.QUALIFIED_NAME_AS_NAME)) {
          Annotations.of(node).addWarningV2(SafeFunctionWarnings.QUALIFIED_NAME_AS_NAME,
            `${node.node.path}: ${where} holds the functionName of ${owner.node.path}, which is qualified (\`name:live\`): `
            + 'a colon is not allowed in a log group name, and an output that showed the bare name now shows another value. '
            + `Fix: use \`.function.functionName\` of ${owner.node.path} for the bare name (its log group is \`.logGroup\`).`);
        }
      }
    }
  }
}

function nameShapedValues(node: IConstruct): Array<[string, unknown]> {
  if (node instanceof CfnOutput) {
    return [['the output value', node.value]];
  }
  if (!CfnResource.isCfnResource(node)) {
    return [];
  }
  const props = (node as any).cfnProperties ?? {};
  return Object.keys(props).filter((k) => NAME_SHAPED.test(k)).map((k) => [`${node.cfnResourceType} property ${k}`, props[k]]);
}
