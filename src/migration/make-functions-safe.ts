import { Aspects, IAspect, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { migrateScope } from './private/migrate';
import { reportSummary, reportUnreachedStages } from './private/migration-report';
import { SafeFunctionOptions } from '../safe/safe-function-options';

/**
 * Options of `MakeFunctionsSafe`: SafeFunction's options for every function it makes safe, and
 * what to leave alone.
 */
export interface MakeFunctionsSafeProps extends SafeFunctionOptions {
  /**
   * Functions, or scopes whose functions, to leave as they are: not made safe, their bindings not
   * rewritten (the guard does not check them unless `GuardedFunctions.ALL` is on).
   *
   * @default - none: every function of the scope is made safe
   */
  readonly exclude?: IConstruct[];

  /**
   * The ID of the `SafeAlias` created under each function (`<function path>/<safeAliasId>`).
   *
   * @default 'Safe'
   */
  readonly safeAliasId?: string;

  /**
   * Also rebind what a client holds, replacing it: a function URL (Lambda gives the new URL a new
   * hostname), or any resource whose value a `CfnOutput`, an export or another stack reads. Clients
   * then need the new value.
   *
   * Off, such a binding stays on `$LATEST`, with the warning `cdk-safe-lambda:migration-client-held`
   * naming the resource and both choices (its guard findings are suppressed with that reason, so
   * synthesis does not fail). Stream and queue mappings are never in this case: the migration changes
   * their `FunctionName` in place, keeping each mapping and its logical ID.
   *
   * @default false
   */
  readonly replaceClientHeldResources?: boolean;
}

/**
 * Makes a whole App or Stage safe in one line: every `lambda.Function` of the scope (any kind:
 * `NodejsFunction`, `DockerImageFunction`, `PythonFunction`, subclasses) gets its `live` alias in
 * place, through a `SafeAlias` (the function keeps its logical ID, so nothing is replaced), and every
 * binding the guard finds to its `$LATEST` (integration URIs, targets, subscriptions, event source
 * mappings, permissions, grants, state machine definitions, environment variables of other
 * functions) is rewritten to the alias.
 *
 * The template binds each alias as a SafeAlias-native app does (a function URL or an async-invoke
 * configuration keeps the function and gets `Qualifier: live`). A binding moves with the permissions its
 * integration brought, and with the other properties of its resource naming the same function, or not
 * at all. A move that would replace what a client holds (a function URL, a value an output publishes)
 * is left for you to choose (`replaceClientHeldResources`). A function that already has an alias of the
 * migration's name (`fn.addAlias('live')`) is bound through that alias.
 *
 * Every rewrite is reported as an info annotation on the resource, with a summary on each stack (what
 * `cdk synth` prints); what cannot be rewritten safely stays a guard finding and fails synthesis as before.
 *
 * The exclusions of `GuardedFunctions.ALL` apply: aws-cdk-lib's and this library's own handlers,
 * `SingletonFunction`s and custom-resource providers are never touched.
 *
 * Aspects do not cross Stage boundaries (aws/aws-cdk#20468) and nested Stages synthesize before
 * their parent's aspects run, so use `MakeFunctionsSafe.applyTo(app)` after the app is built: it adds
 * the aspect to the app and to every Stage in it. CDK Pipelines' `pipeline.addStage(stage)`
 * synthesizes the Stage at once, after which nothing in it can change: make such a Stage safe before
 * it is added (`MakeFunctionsSafe.applyTo(this)` at the end of the Stage's constructor).
 */
export class MakeFunctionsSafe implements IAspect {
  /**
   * Adds the aspect to `scope` and to every Stage under it. Call it once the app's constructs exist
   * (as the last line before `app.synth()`), and for a CDK Pipelines stage before
   * `pipeline.addStage(stage)`, which synthesizes the Stage at once (the end of the Stage's constructor:
   * `MakeFunctionsSafe.applyTo(this)`).
   *
   * @throws when a Stage under `scope` that is not excluded was already synthesized: its functions can
   *   no longer change (aws-cdk-lib refuses a tree modified after its synthesis)
   */
  public static applyTo(scope: IConstruct, props: MakeFunctionsSafeProps = {}): MakeFunctionsSafe {
    const aspect = new MakeFunctionsSafe(props);
    const stages = [scope, ...scope.node.findAll().filter((c) => c !== scope && Stage.isStage(c))]
      .filter((stage) => !aspect.isExcludedScope(stage));
    // Why: an aspect added to a synthesized Stage never runs, so its functions would silently stay
    // unsafe while the default guard, which checks SafeFunctions only, reports nothing (issue #10).
    const synthesized = stages.filter((stage) => Stage.isStage(stage) && (stage as any).assembly !== undefined);
    if (synthesized.length > 0) {
      const paths = synthesized.map((stage) => `'${stage.node.path}'`).join(', ');
      throw new Error(`MakeFunctionsSafe.applyTo(${scope.node.path || '<app>'}): the Stage ${paths} was already synthesized `
        + '(CDK Pipelines\' pipeline.addStage() synthesizes a Stage at once), so its functions can no longer be made safe. '
        + 'Fix: make the Stage safe before it is added: call MakeFunctionsSafe.applyTo(this) at the end of the Stage\'s constructor, '
        + 'or MakeFunctionsSafe.applyTo(app) before pipeline.addStage(); or leave it alone with exclude: [stage].');
    }
    for (const stage of stages) {
      Aspects.of(stage).add(aspect);
    }
    return aspect;
  }

  private readonly done = new WeakSet<IConstruct>();
  private readonly excluded: IConstruct[];

  constructor(private readonly props: MakeFunctionsSafeProps = {}) {
    this.excluded = props.exclude ?? [];
    for (const item of this.excluded) {
      if (!item || typeof (item as any).node !== 'object') {
        throw new Error(`MakeFunctionsSafe: exclude holds ${String(item)}, which is not a construct. Fix: list the functions or scopes to leave alone, e.g. exclude: [legacyFn, legacyStack].`);
      }
    }
  }

  public visit(node: IConstruct): void {
    // The first node an aspect visits is the scope it was added to: migrate that scope once, whole,
    // so that bindings anywhere in it see every function already made safe.
    const stage = Stage.isStage(node) ? node : (Stage.of(node) ?? node.node.root);
    if (this.done.has(stage)) {
      return;
    }
    this.done.add(stage);
    const result = migrateScope(stage, {
      options: this.props,
      safeAliasId: this.props.safeAliasId ?? 'Safe',
      isExcluded: (fn: lambda.Function) => this.isExcluded(fn),
      replaceClientHeld: this.props.replaceClientHeldResources ?? false,
    });
    // On each stack, not on the App or Stage: only stacks' annotations reach what `cdk synth` prints (issue #16).
    reportSummary(stage, result.tallies);
    reportUnreachedStages(stage, result.nestedStages.filter((s) => !Aspects.of(s).all.includes(this) && !this.isExcludedScope(s)));
  }

  private isExcluded(fn: lambda.Function): boolean {
    return this.isExcludedScope(fn);
  }

  private isExcludedScope(node: IConstruct): boolean {
    return this.excluded.some((scope) => node === scope || node.node.path.startsWith(`${scope.node.path}/`) || scope.node.path === '');
  }
}
