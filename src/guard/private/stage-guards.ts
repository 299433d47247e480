import { Annotations, Aspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import { IConstruct, IValidation } from 'constructs';
import { tapReferences } from './consumer-taps';
import { EngineOptions, GuardEngine, hasRawOverrides } from './engine';
import { firstLine, summaryOf } from './failure-summary';
import { namesLogicalId, openCheaply } from './raw-intrinsics';
import { GuardScope, Level, runGuards } from './run';
import { stageOf } from './stage-of';
import { isCfnResource, isStack, isStage, l2Of, stackOf } from '../../private/bindings/core';
import { aliasTargetsLatest } from '../../private/bindings/latest-alias';
import { isNonBindingType } from '../../private/bindings/non-bindings';
import { ALIAS_TYPE, FUNCTION_TYPE } from '../../private/bindings/occurrences';
import { hasSuppression, StoredSuppression } from '../../private/suppression-store';
import { leftToNestedPlugin, reportedByPlugin } from '../../validation/private/registry';
import { FailureMode } from '../failure-mode';
import { isWebFunctionType } from '../rules/web-function-all-at-once';

interface GuardRecord extends GuardScope {
  readonly resources: CfnResource[];
}

/** Suppressions used by the runs of one app (see `runGuards`). */
const USED_BY_APP = new WeakMap<IConstruct, WeakSet<StoredSuppression>>();
const BY_STAGE = new WeakMap<IConstruct, StageGuards>();
const LISTENED = new WeakSet<CfnResource>();

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
    const stage = isStage(node) ? node : stageOf(node);
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

  /** Resources seen resolving a reference to a function (or a name cut out of an alias ARN). */
  private readonly consumers = new Set<IConstruct>();
  /** Unresolved logical IDs of consumers resolved with their stack as scope (template rendering). */
  private readonly consumerLogicalIds = new Set<string>();
  /** Stacks that resolved such a reference without saying for which resource: all their resources are checked. */
  private readonly wideStacks = new Set<IConstruct>();
  /** Whether a reference could not be tapped: then every resource is checked. */
  private checkAll = false;
  /** The functions visited, per stack, and their logical IDs once needed. */
  private readonly functionsByStack = new Map<Stack, CfnResource[]>();
  private readonly logicalIdsByStack = new Map<Stack, Set<string>>();

  /** User guards added to this Stage (or App) itself: they also check the nested Stages below it. */
  private readonly outer = new Map<IAspect, { options: EngineOptions; failureMode: FailureMode }>();

  private constructor(private readonly stage: IConstruct) {}

  /** Records a guard that visited this Stage's own node. */
  public recordOuter(guard: IAspect, options: EngineOptions, failureMode: FailureMode): void {
    if (!options.automatic) {
      this.outer.set(guard, { options, failureMode });
    }
  }

  /** Records a node visited by `guard`: the resources it checks, the suppressions it can use. */
  public record(guard: IAspect, options: EngineOptions, failureMode: FailureMode, node: IConstruct): void {
    if (isCfnResource(node)) {
      const records = options.automatic ? this.automatic : this.guards;
      let record = records.get(guard);
      if (!record) {
        record = { options, failureMode, resources: [] };
        records.set(guard, record);
      }
      record.resources.push(node);
      this.listen(node);
    }
    if (hasSuppression(node)) {
      this.suppressionScopes.add(node);
    }
  }

  public validate(): string[] {
    if (this.done) {
      return [];
    }
    this.done = true;
    const headlines = this.report();
    // Nested Stages synthesized before this one (always, and CDK Pipelines' addStage() at once): only
    // the App sees them all, final.
    const nested = this.stage.node.root === this.stage ? this.checkNestedStages() : [];
    headlines.push(...nested.map((m) => firstLine(m.replace(/^\[[^\]]*\] /, ''))));
    // The Stage's own validation runs before its resources': its message comes first (issue #19 §4).
    return [...(headlines.length > 0 ? [summaryOf(headlines)] : []), ...nested];
  }

  /**
   * Checks each nested Stage with the guards that could not visit it: the guards of the Stages above it
   * (aspects stop at Stage boundaries), and guards added to it after it was synthesized. Errors fail
   * the App's synthesis here, naming the Stage; warnings are annotations of the App.
   */
  private checkNestedStages(): string[] {
    const messages: string[] = [];
    for (const nested of this.stage.node.findAll()) {
      if (!isStage(nested) || nested === this.stage) {
        continue;
      }
      const own = BY_STAGE.get(nested);
      const guards: GuardScope[] = [];
      const resources = nested.node.findAll().filter((c): c is CfnResource => isCfnResource(c) && stageOf(c) === nested);
      for (const [aspect, guard] of this.missedGuards(nested, own)) {
        guards.push({ ...guard, resources });
        void aspect;
      }
      if (guards.length === 0) {
        continue;
      }
      const scopes = nested.node.findAll().filter((c) => hasSuppression(c));
      for (const { finding, level } of runGuards(new GuardEngine(), guards, scopes)) {
        const text = `${finding.message} (checked by a guard that could not visit Stage '${nested.node.path}' before it synthesized)`;
        if (level === Level.ERROR) {
          messages.push(`[${finding.resourcePath}] ${text}`);
        } else if (level === Level.WARNING) {
          Annotations.of(this.stage).addWarningV2(finding.ruleId, text);
        }
      }
    }
    return messages;
  }

  /** The user guards that apply to `nested` but did not visit its resources. */
  private missedGuards(nested: IConstruct, own: StageGuards | undefined): Map<IAspect, { options: EngineOptions; failureMode: FailureMode }> {
    const missed = new Map<IAspect, { options: EngineOptions; failureMode: FailureMode }>();
    // Guards of the Stages above it.
    for (let scope = nested.node.scope; scope; scope = scope.node.scope) {
      const above = isStage(scope) ? BY_STAGE.get(scope) : undefined;
      for (const [aspect, guard] of above?.outer ?? []) {
        // A nested Stage with a validation plugin of its own is checked with that plugin's options (issue #17 §5).
        if (!own?.guards.has(aspect) && !leftToNestedPlugin(aspect, nested)) {
          missed.set(aspect, guard);
        }
      }
    }
    // Guards added to the Stage itself too late (after `pipeline.addStage(stage)` synthesized it).
    for (const aspect of Aspects.of(nested).all) {
      const late = typeof (aspect as any)._guardOptions === 'function' ? (aspect as any)._guardOptions() : undefined;
      if (late && !late.options.automatic && !own?.guards.has(aspect) && !own?.outer.has(aspect)) {
        missed.set(aspect, late);
      }
    }
    return missed;
  }

  /** Taps the references to a function or an alias the first time a guard visits it (see `tapReferences`). */
  private listen(resource: CfnResource): void {
    const type = resource.cfnResourceType;
    if ((type !== FUNCTION_TYPE && type !== ALIAS_TYPE) || LISTENED.has(resource)) {
      return;
    }
    LISTENED.add(resource);
    if (type === FUNCTION_TYPE) {
      const stack = stackOf(resource);
      const functions = this.functionsByStack.get(stack) ?? [];
      functions.push(resource);
      this.functionsByStack.set(stack, functions);
    }
    // An alias ARN is qualified wherever it goes; only a function name cut out of it
    // (`Fn::Select [6, Fn::Split]`, as `Function.fromFunctionArn` does) and state machines matter.
    // An alias on `$LATEST` is unqualified in all but name: every use of it matters.
    const onlyNames = type === ALIAS_TYPE && !aliasTargetsLatest(resource);
    const tapped = tapReferences(resource, l2Of(resource), (scope, path) => {
      // Once checked, the template rendering that follows needs nothing from us.
      if (!this.done && (!onlyNames || path.includes('Fn::Select') || isStateMachine(scope))) {
        this.noteConsumer(scope, path);
      }
    });
    this.checkAll = this.checkAll || !tapped;
  }

  private noteConsumer(scope: IConstruct, path: readonly string[]): void {
    if (isCfnResource(scope)) {
      this.consumers.add(scope);
    } else if (path[0] === 'Resources' && typeof path[1] === 'string') {
      this.consumerLogicalIds.add(path[1]);
    } else if (isStack(scope)) {
      this.wideStacks.add(scope);
    } else {
      this.checkAll = true;
    }
  }

  /**
   * Whether a resource can hold a guarded reference: it resolved one during synthesis, or it holds
   * values resolved before we could see them (raw overrides, `UpdatePolicy`/`CreationPolicy`).
   */
  private mayReference(resource: CfnResource): boolean {
    if (isNonBindingType(resource.cfnResourceType)) {
      // The engine never reads them (log groups, versions, dashboards...).
      return false;
    }
    if (this.checkAll || this.consumers.has(resource) || this.consumerLogicalIds.has(resource.logicalId)
      || resource.cfnOptions.updatePolicy !== undefined || resource.cfnOptions.creationPolicy !== undefined
      // A Web Function's deployment mode is judged on the resource itself (issue #17 §2).
      || isWebFunctionType(resource.cfnResourceType)) {
      return true;
    }
    if (hasRawOverrides(resource) || (this.wideStacks.size > 0 && this.wideStacks.has(stackOf(resource)))) {
      return true;
    }
    // `Fn.getAtt('Fn9270CBC0', 'Arn')`, `Fn.sub('${Fn9270CBC0.Arn}')`: no token stands for the function.
    const logicalIds = this.functionLogicalIds(stackOf(resource));
    const stack = stackOf(resource);
    return logicalIds.size > 0 && namesLogicalId((resource as any).cfnProperties, logicalIds, (token) => openCheaply(token, (t) => stack.resolve(t)));
  }

  /** When in doubt (a failure reading the resource), check it: the engine turns failures into warnings. */
  private safelyMayReference(resource: CfnResource): boolean {
    try {
      return this.mayReference(resource);
    } catch {
      return true;
    }
  }

  private functionLogicalIds(stack: Stack): Set<string> {
    let ids = this.logicalIdsByStack.get(stack);
    if (!ids) {
      // The resolved IDs, and the tokens that stand for them (`Fn.getAtt(fn.logicalId, 'Arn')` holds the token).
      ids = new Set((this.functionsByStack.get(stack) ?? []).flatMap((fn) => [stack.resolve(fn.logicalId) as string, fn.logicalId]));
      this.logicalIdsByStack.set(stack, ids);
    }
    return ids;
  }

  /** Reports the findings: errors as validations of their resources. Returns the errors' headlines. */
  private report(): string[] {
    const headlines: string[] = [];
    const root = this.stage.node.root;
    let used = USED_BY_APP.get(root);
    if (!used) {
      used = new WeakSet();
      USED_BY_APP.set(root, used);
    }
    // Where the guard is also a validation plugin (`SafeLambdaValidation.addTo`), the plugin reports what
    // the automatic guard would, where the release's report shows all and fails as hard (issues #12, #17 §5).
    const automatic = [...this.automatic.values()].map((g) => ({ ...g, resources: g.resources.filter((r) => !reportedByPlugin(r)) }));
    const guards = [...this.guards.values(), ...automatic]
      .map((g) => ({ ...g, resources: g.resources.filter((r) => this.safelyMayReference(r)) }));
    const scopes = this.guards.size > 0 ? this.suppressionScopes : [...this.suppressionScopes].filter((c) => !reportedByPlugin(c));
    for (const { finding, construct, level } of runGuards(new GuardEngine(), guards, scopes, used)) {
      switch (level) {
        case Level.ERROR:
          construct.node.addValidation({ validate: () => [finding.message] });
          headlines.push(firstLine(finding.message));
          break;
        case Level.WARNING:
          Annotations.of(construct).addWarningV2(finding.ruleId, finding.message);
          break;
        case Level.INFO:
          Annotations.of(construct).addInfo(`[suppressed: ${finding.suppressionReason}] ${finding.message}`);
          break;
      }
    }
    return headlines;
  }
}

function isStateMachine(scope: IConstruct): boolean {
  return isCfnResource(scope) && scope.cfnResourceType === 'AWS::StepFunctions::StateMachine';
}
