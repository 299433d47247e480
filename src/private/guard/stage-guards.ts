import { Annotations, CfnResource, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct, IValidation } from 'constructs';
import { EngineOptions, GuardEngine } from './engine';
import { GuardScope, Level, runGuards } from './run';
import { hasSuppression, StoredSuppression } from './suppressions';
import { FailureMode } from '../../guard/failure-mode';

interface GuardRecord extends GuardScope {
  readonly resources: CfnResource[];
}

/** Suppressions used by the runs of one app (see `runGuards`). */
const USED_BY_APP = new WeakMap<IConstruct, WeakSet<StoredSuppression>>();
const BY_STAGE = new WeakMap<IConstruct, StageGuards>();
const STAGE_OF_STACK = new WeakMap<Stack, IConstruct>();

/**
 * The guards of one Stage (or App): what each visited, checked together once the tree is final.
 *
 * Aspects visit the tree before it is final (later aspects still mutate it), and errors must fail
 * synthesis, so the check runs as a validation of the Stage: validations run after every aspect and
 * before anything is written, and the Stage's own validation runs before those of its resources
 * (pre-order), which is where it attaches each error, so that it is reported at the resource's path.
 */
export class StageGuards implements IValidation {
  /** The guards of the Stage (or App, or root) that `node` belongs to; `node` may be the Stage itself. */
  public static of(node: IConstruct): StageGuards {
    const stage = Stage.isStage(node) ? node : stageOf(node);
    let guards = BY_STAGE.get(stage);
    if (!guards) {
      guards = new StageGuards(stage);
      BY_STAGE.set(stage, guards);
      stage.node.addValidation(guards);
    }
    return guards;
  }

  /** User-added guards first: they decide how a finding both would report is reported. */
  private readonly guards = new Map<IAspect, GuardRecord>();
  private readonly automatic = new Map<IAspect, GuardRecord>();
  private readonly suppressionScopes = new Set<IConstruct>();
  private done = false;

  private constructor(private readonly stage: IConstruct) {}

  /** Records a node visited by `guard`: the resources it checks, the suppressions it can use. */
  public record(guard: IAspect, options: EngineOptions, failureMode: FailureMode, node: IConstruct): void {
    if (CfnResource.isCfnResource(node)) {
      const records = options.automatic ? this.automatic : this.guards;
      let record = records.get(guard);
      if (!record) {
        record = { options, failureMode, resources: [] };
        records.set(guard, record);
      }
      record.resources.push(node);
    }
    if (hasSuppression(node)) {
      this.suppressionScopes.add(node);
    }
  }

  public validate(): string[] {
    if (!this.done) {
      this.done = true;
      this.report();
    }
    return [];
  }

  private report(): void {
    const root = this.stage.node.root;
    let used = USED_BY_APP.get(root);
    if (!used) {
      used = new WeakSet();
      USED_BY_APP.set(root, used);
    }
    const guards = [...this.guards.values(), ...this.automatic.values()];
    for (const { finding, construct, level } of runGuards(new GuardEngine(), guards, this.suppressionScopes, used)) {
      switch (level) {
        case Level.ERROR:
          construct.node.addValidation({ validate: () => [finding.message] });
          break;
        case Level.WARNING:
          Annotations.of(construct).addWarningV2(finding.ruleId, finding.message);
          break;
        case Level.INFO:
          Annotations.of(construct).addInfo(`[suppressed: ${finding.suppressionReason}] ${finding.message}`);
          break;
      }
    }
  }
}

/** The Stage (or App, or root) of a construct, cached per stack: this runs for every visited resource. */
function stageOf(node: IConstruct): IConstruct {
  if (!Stack.isStack(node) && !CfnResource.isCfnResource(node)) {
    return Stage.of(node) ?? node.node.root;
  }
  const stack = Stack.of(node);
  let stage = STAGE_OF_STACK.get(stack);
  if (!stage) {
    stage = Stage.of(stack) ?? stack.node.root;
    STAGE_OF_STACK.set(stack, stage);
  }
  return stage;
}
