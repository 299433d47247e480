import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/*
 * aws-cdk-lib's entry point exports each class through a getter that runs require() on every access
 * (about 1 µs). The guard runs for every construct and every token of the app, so it reads the few
 * classes it needs there once.
 */
const CfnResourceClass = cdk.CfnResource;
const StackClass = cdk.Stack;
const StageClass = cdk.Stage;
const TokenizationClass = cdk.Tokenization;
const ReferenceClass = cdk.Reference;
const FunctionClass = lambda.Function;
const AliasClass = lambda.Alias;

export function isCfnResource(x: unknown): x is cdk.CfnResource {
  return CfnResourceClass.isCfnResource(x as IConstruct);
}

export function isStack(x: unknown): x is cdk.Stack {
  return StackClass.isStack(x);
}

export function isStage(x: unknown): x is cdk.Stage {
  return StageClass.isStage(x);
}

export function stackOf(x: IConstruct): cdk.Stack {
  return StackClass.of(x);
}

export function stageOf(x: IConstruct): cdk.Stage | undefined {
  return StageClass.of(x);
}

/** The token a string stands for, if it is one token. */
export function tokenOf(value: string): cdk.IResolvable | undefined {
  return TokenizationClass.reverseString(value).firstToken;
}

/** The L2 function or alias whose default child is `resource`, if any. */
export function l2Of(resource: cdk.CfnResource): lambda.Function | lambda.Alias | undefined {
  const scope = resource.node.scope;
  return (scope instanceof FunctionClass || scope instanceof AliasClass) && scope.node.defaultChild === resource ? scope : undefined;
}

/** Every token in a string. */
export function tokensOf(value: string): cdk.IResolvable[] {
  return TokenizationClass.reverseString(value).tokens;
}

export function isReference(x: unknown): x is cdk.Reference {
  return ReferenceClass.isReference(x);
}
