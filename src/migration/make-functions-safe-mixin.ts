import { Aspects, IAspect, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct, IMixin } from 'constructs';
import { MakeFunctionsSafe, MakeFunctionsSafeProps } from './make-functions-safe';
import { migrateScope } from './private/migrate';
import { reportSummary } from './private/migration-report';

/**
 * The in-place adoption of `MakeFunctionsSafe` as a Mixin, for the functions it is applied to only
 * (issue #17 §6): each gets its `live` alias in place (a `SafeAlias`, the function keeps its logical ID),
 * and at synthesis, once the tree is final, the bindings to ITS `$LATEST` are rewritten to the alias, as
 * `MakeFunctionsSafe` does (the same implementation). Functions it was not applied to stay as they are.
 *
 * - constructs 10.5 and later (every supported aws-cdk-lib): `fn.with(new SafeFunctionMixin())`, or
 *   `stack.with(new SafeFunctionMixin())` for every `lambda.Function` in a scope;
 * - aws-cdk-lib with Mixins (2.27x and later): `Mixins.of(scope, selector).apply(new SafeFunctionMixin())`
 *   for the functions a selector picks.
 *
 * The exclusions of `MakeFunctionsSafe` apply (`exclude`, aws-cdk-lib's and this library's own handlers,
 * `SingletonFunction`s, custom-resource providers). Apply it before the function's Stage is synthesized
 * (CDK Pipelines' `pipeline.addStage(stage)` synthesizes it at once).
 */
export class SafeFunctionMixin implements IMixin {
  private readonly selected = new WeakSet<IConstruct>();
  private readonly stages = new WeakSet<IConstruct>();
  private readonly excluded: IConstruct[];

  /**
   * @param props the options of `MakeFunctionsSafe`, for the functions this Mixin is applied to
   */
  constructor(private readonly props: MakeFunctionsSafeProps = {}) {
    // Validates the options the same way MakeFunctionsSafe does (and fails the same way).
    new MakeFunctionsSafe(props);
    this.excluded = props.exclude ?? [];
  }

  /**
   * Whether `construct` is a `lambda.Function` (of any kind: `NodejsFunction`, `DockerImageFunction`...).
   */
  public supports(construct: IConstruct): boolean {
    return construct instanceof lambda.Function;
  }

  /**
   * Makes the function safe in place; its bindings are rewritten at synthesis.
   *
   * @throws when `construct` is not a `lambda.Function`, or its Stage was already synthesized
   */
  public applyTo(construct: IConstruct): void {
    const where = construct.node.path || '<root>';
    if (!this.supports(construct)) {
      throw new Error(`SafeFunctionMixin: '${where}' is a ${construct.constructor?.name ?? typeof construct}, not a lambda.Function. `
        + 'Fix: apply it to functions, or to a scope with scope.with(...) or Mixins.of(scope).apply(...), which select the functions in it.');
    }
    const stage = Stage.of(construct) ?? construct.node.root;
    if (Stage.isStage(stage) && (stage as any).assembly !== undefined) {
      throw new Error(`SafeFunctionMixin: the Stage '${stage.node.path}' of '${where}' was already synthesized (CDK Pipelines' `
        + 'pipeline.addStage() synthesizes a Stage at once), so its functions can no longer change. Fix: apply the Mixin in the '
        + 'Stage\'s constructor, before pipeline.addStage().');
    }
    this.selected.add(construct);
    if (!this.stages.has(stage)) {
      // Bindings can be added after the Mixin is applied: they are rewritten once the tree is final.
      this.stages.add(stage);
      Aspects.of(stage).add(new SelectedFunctionsMigration(this.props, (fn) => this.selected.has(fn) && !this.isExcluded(fn)));
    }
  }

  private isExcluded(node: IConstruct): boolean {
    return this.excluded.some((scope) => node === scope || node.node.path.startsWith(`${scope.node.path}/`) || scope.node.path === '');
  }
}

/** Runs the migration on one Stage, once, for the functions the Mixin selected. */
class SelectedFunctionsMigration implements IAspect {
  private done = false;

  constructor(private readonly props: MakeFunctionsSafeProps, private readonly isSelected: (fn: lambda.Function) => boolean) {}

  public visit(node: IConstruct): void {
    if (this.done) {
      return;
    }
    this.done = true;
    // The first node visited is the Stage the aspect is on: migrate it whole, so that bindings anywhere
    // in it (other stacks included) see the functions made safe.
    const stage = Stage.isStage(node) ? node : (Stage.of(node) ?? node.node.root);
    const result = migrateScope(stage, {
      options: this.props,
      safeAliasId: this.props.safeAliasId ?? 'Safe',
      isExcluded: (fn: lambda.Function) => !this.isSelected(fn),
      replaceClientHeld: this.props.replaceClientHeldResources ?? false,
    });
    reportSummary(stage, result.tallies);
  }
}
