import { Annotations, Aspects, IAspect, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { migrateScope } from './private/migrate';
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
}

/**
 * Makes a whole App or Stage safe in one line: every `lambda.Function` of the scope (any kind:
 * `NodejsFunction`, `DockerImageFunction`, `PythonFunction`, subclasses) gets its `live` alias in
 * place, through a `SafeAlias` (the function keeps its logical ID, so nothing is replaced), and every
 * binding the guard finds to its `$LATEST` (integration URIs, targets, subscriptions, event source
 * mappings, permissions, grants, state machine definitions, environment variables of other
 * functions) is rewritten to the alias.
 *
 * Every rewrite is reported as an info annotation on the resource, with a summary on the scope;
 * what cannot be rewritten safely stays a guard finding and fails synthesis as before.
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
    });
    Annotations.of(stage).addInfo(`MakeFunctionsSafe: ${result.functions} function(s) made safe in place, `
      + `${result.rewritten} binding(s) rewritten to their alias, ${result.left} left as guard findings`
      + (result.excluded ? `, ${result.excluded} function(s) excluded` : '') + '.');
    const unmigrated = result.nestedStages.filter((s) => !Aspects.of(s).all.includes(this));
    for (const nested of unmigrated.map((s) => s.node.path)) {
      Annotations.of(stage).addWarningV2('cdk-safe-lambda:migration-stage', `MakeFunctionsSafe: the Stage ${nested} was synthesized `
        + 'before this aspect could reach it (aspects do not cross Stage boundaries), so its functions were not made safe. '
        + 'Fix: call MakeFunctionsSafe.applyTo(app) after every Stage is added, or add the aspect to that Stage '
        + '(for a CDK Pipelines stage, before pipeline.addStage(): MakeFunctionsSafe.applyTo(this) at the end of the Stage\'s constructor).');
    }
  }

  private isExcluded(fn: lambda.Function): boolean {
    return this.isExcludedScope(fn);
  }

  private isExcludedScope(node: IConstruct): boolean {
    return this.excluded.some((scope) => node === scope || node.node.path.startsWith(`${scope.node.path}/`) || scope.node.path === '');
  }
}
