import { Annotations, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Why a binding was left on `$LATEST`. */
export enum LeftFor {
  /** The rewrite cannot be made (or CloudFormation refuses it): the guard reports it. */
  CANNOT = 'cannot',
  /** Another part of its unit stays, and a unit moves whole: the guard reports it. */
  TOGETHER = 'together',
  /** Moving it would replace what a client holds: left for the user to choose, with a warning. */
  CHOICE = 'choice',
}

/** A binding left on `$LATEST`, and why. */
export interface Leave {
  readonly kind: LeftFor;
  /** Why, as a clause: `moving it replaces Stack/Fn/FunctionUrl/Resource (...)`. */
  readonly why: string;
  /** For `LeftFor.CHOICE`: the resource a move would replace, and what a client holds of it. */
  readonly choice?: { readonly resource: CfnResource; readonly reason: string };
}

/** What the migration did in one stack. */
export interface MigrationTally {
  functions: number;
  adopted: number;
  excluded: number;
  rewritten: number;
  left: number;
  leftForChoice: number;
}

/**
 * Counts per top-level stack: `cdk synth` prints the annotations of stacks (a nested stack's go to its
 * parent), never those of the App or a Stage, whose metadata no cloud assembly artifact carries.
 */
export class StackTallies {
  private readonly byStack = new Map<Stack, MigrationTally>();

  /** The tally of the top-level stack `scope` is in. */
  public of(scope: IConstruct): MigrationTally {
    const stack = topLevelStackOf(scope);
    let tally = this.byStack.get(stack);
    if (!tally) {
      tally = { functions: 0, adopted: 0, excluded: 0, rewritten: 0, left: 0, leftForChoice: 0 };
      this.byStack.set(stack, tally);
    }
    return tally;
  }

  public total(key: keyof MigrationTally): number {
    return [...this.byStack.values()].reduce((sum, t) => sum + t[key], 0);
  }
}

/**
 * Puts the migration's summary on every top-level stack of `stage` (issue #16 §6: the App's metadata
 * never reaches the cloud assembly), each with its own counts.
 */
export function reportSummary(stage: IConstruct, tallies: StackTallies): void {
  for (const stack of topLevelStacksOf(stage)) {
    const t = tallies.of(stack);
    const more = [
      ...t.leftForChoice ? [`${t.leftForChoice} of those left are for you to choose: see the warnings cdk-safe-lambda:migration-client-held.`] : [],
      ...t.adopted ? [`${t.adopted} function(s) bound through the alias they already had.`] : [],
      ...t.excluded ? [`${t.excluded} function(s) excluded.`] : [],
    ];
    Annotations.of(stack).addInfo(`MakeFunctionsSafe in this stack: ${t.functions} function(s) made safe in place, `
      + `${t.rewritten} binding(s) moved to their alias, ${t.left} left on $LATEST.` + (more.length ? `\n${more.join(' ')}` : ''));
  }
}

/**
 * Warns that Stages synthesized before the migration could reach them were not made safe, on every
 * top-level stack of `stage`; with no stack to carry it, a warning would reach no one, so it fails.
 */
export function reportUnreachedStages(stage: IConstruct, unreached: readonly Stage[]): void {
  if (unreached.length === 0) {
    return;
  }
  const paths = unreached.map((s) => s.node.path).join(', ');
  const message = `MakeFunctionsSafe: the Stage ${paths} was synthesized before this aspect could reach it, so its functions were not made safe.\n`
    + 'Why: aspects do not cross Stage boundaries, and a nested Stage synthesizes before its parent\'s aspects run. '
    + 'Fix: call MakeFunctionsSafe.applyTo(app) after every Stage is added, or add the aspect to that Stage '
    + '(for a CDK Pipelines stage, before pipeline.addStage(): MakeFunctionsSafe.applyTo(this) at the end of the Stage\'s constructor); '
    + 'or leave it alone with exclude: [stage].';
  const stacks = topLevelStacksOf(stage);
  if (stacks.length === 0) {
    throw new Error(`${message} (${stage.node.path || 'The App'} has no stack of its own to show this warning on, so it is an error.)`);
  }
  for (const stack of stacks) {
    Annotations.of(stack).addWarningV2('cdk-safe-lambda:migration-stage', message);
  }
}

function topLevelStackOf(scope: IConstruct): Stack {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) {
    stack = stack.nestedStackParent;
  }
  return stack;
}

/** The stacks of `stage` itself (not of Stages nested in it) that are artifacts of its cloud assembly. */
function topLevelStacksOf(stage: IConstruct): Stack[] {
  const own = Stage.isStage(stage) ? stage : Stage.of(stage);
  return stage.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nested && Stage.of(c) === own);
}
