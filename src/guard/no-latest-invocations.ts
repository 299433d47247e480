import { AspectPriority, Aspects, CfnResource, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FailureMode } from './failure-mode';
import { Finding } from './finding';
import { GuardedFunctions } from './guarded-functions';
import { EngineOptions, GuardEngine } from './private/engine';
import { runGuards } from './private/run';
import { StageGuards } from './private/stage-guards';
import { isCfnResource, isStage, stageOf } from '../private/bindings/core';
import { hasSuppression } from '../private/suppression-store';

/**
 * Options of the `$LATEST` guard.
 */
export interface NoLatestInvocationsProps {
  /**
   * Which functions are guarded.
   *
   * @default GuardedFunctions.SAFE_FUNCTIONS
   */
  readonly functions?: GuardedFunctions;

  /**
   * How findings are reported.
   *
   * @default FailureMode.ERROR
   */
  readonly failureMode?: FailureMode;

  /**
   * Require numbered versions, not aliases, in state machines (`SafeLambda-StateMachineAlias`), so that
   * a running execution never meets version N+1 halfway through.
   *
   * @default false
   */
  readonly requireVersionsInStateMachines?: boolean;
}

/**
 * The `$LATEST` guard: fails synthesis when anything invokes a guarded function unqualified.
 *
 * CloudFormation updates a function's code and configuration in two calls; whatever invokes `$LATEST`
 * in between can run new code with old configuration. The guard finds every integration, permission,
 * grant and environment variable that reaches a guarded function's `$LATEST`, across stacks, nested
 * stacks and regions, and reports each under a `GuardRules` ID.
 *
 * Every SafeFunction adds one to its Stage; add one yourself for other options:
 * `Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }))`. Guards on the
 * same Stage report a finding once (yours decide how). Aspects added to an App do not reach the stacks
 * of a nested Stage (CDK Pipelines stages), so the guard checks those from the App (or Stage) it was
 * added to once they are final, also when `pipeline.addStage()` synthesized them before it was added.
 */
export class NoLatestInvocations implements IAspect {
  /**
   * The findings of `scope` (suppressed ones included, flagged), without synthesizing.
   *
   * Checks the tree as it is now: aspects (which may still add or change resources) have not run.
   *
   * @param scope an App, Stage, Stack or any construct; every resource below it is checked
   * @param props the guard's options
   */
  public static findings(scope: IConstruct, props: NoLatestInvocationsProps = {}): Finding[] {
    const resources: CfnResource[] = [];
    const suppressionScopes: IConstruct[] = [];
    for (const node of scope.node.findAll()) {
      if (isCfnResource(node)) {
        resources.push(node);
      }
      if (hasSuppression(node)) {
        suppressionScopes.push(node);
      }
    }
    const guard = { options: engineOptions(props, false), failureMode: props.failureMode ?? FailureMode.ERROR, resources };
    return runGuards(new GuardEngine(), [guard], suppressionScopes).map((r) => r.finding);
  }

  /**
   * Adds the guard SafeFunctions rely on to the Stage of `scope`, once per Stage.
   *
   * @internal
   */
  public static _addToStage(scope: IConstruct): void {
    const stage = stageOf(scope) ?? scope.node.root;
    if (!AUTOMATIC.has(stage)) {
      const guard = new NoLatestInvocations();
      guard.options = { ...guard.options, automatic: true };
      AUTOMATIC.set(stage, guard);
      Aspects.of(stage).add(guard, { priority: AspectPriority.READONLY });
      // The App checks, once every nested Stage is final, that no guard was added to a Stage too late.
      StageGuards.of(stage.node.root);
    }
  }

  private options: EngineOptions;
  private readonly failureMode: FailureMode;

  constructor(props: NoLatestInvocationsProps = {}) {
    if (props.functions !== undefined && !Object.values(GuardedFunctions).includes(props.functions)) {
      throw new Error(`NoLatestInvocations: unknown functions '${props.functions}'. Use GuardedFunctions.SAFE_FUNCTIONS or GuardedFunctions.ALL.`);
    }
    if (props.failureMode !== undefined && !Object.values(FailureMode).includes(props.failureMode)) {
      throw new Error(`NoLatestInvocations: unknown failureMode '${props.failureMode}'. Use FailureMode.ERROR or FailureMode.WARNING.`);
    }
    this.options = engineOptions(props, false);
    this.failureMode = props.failureMode ?? FailureMode.ERROR;
  }

  /**
   * Records `node` for the check, which runs once the tree is final (as a validation of the Stage).
   */
  public visit(node: IConstruct): void {
    // Runs for every construct of the app: only resources and suppressions matter.
    if (isCfnResource(node) || hasSuppression(node)) {
      StageGuards.of(node).record(this, this.options, this.failureMode, node);
    }
    // Aspects stop at nested Stages, which synthesize first (CDK Pipelines' addStage() even synthesizes
    // them at once): the Stage (or App) this guard is on checks them with it once they are final.
    if (isStage(node)) {
      StageGuards.of(node).recordOuter(this, this.options, this.failureMode);
    }
  }

  /**
   * The options this guard checks with, for a Stage it was added to after that Stage synthesized.
   *
   * @internal
   */
  public _guardOptions(): { options: EngineOptions; failureMode: FailureMode } {
    return { options: this.options, failureMode: this.failureMode };
  }
}

const AUTOMATIC = new WeakMap<IConstruct, NoLatestInvocations>();

function engineOptions(props: NoLatestInvocationsProps, automatic: boolean): EngineOptions {
  return {
    functions: props.functions ?? GuardedFunctions.SAFE_FUNCTIONS,
    requireVersionsInStateMachines: props.requireVersionsInStateMachines ?? false,
    automatic,
  };
}
