import { IConstruct } from 'constructs';
import { pluginOf } from './private/registry';
import { unmatchedAcknowledgements } from './private/unmatched-acknowledgements';
import { toViolations } from './private/violations';
import { SafeLambdaValidationContext, SafeLambdaValidationReport } from './validation-report';
import { FailureMode } from '../guard/failure-mode';
import { GuardRules } from '../guard/guard-rules';
import { NoLatestInvocations, NoLatestInvocationsProps } from '../guard/no-latest-invocations';

/**
 * The `$LATEST` guard as a CDK validation plugin: its findings appear in the validation report
 * (`validation-report.json` in the cloud assembly) and in `cdk validate`, and can be acknowledged with
 * `Validations.of(scope).acknowledge({ id: 'SafeLambda::<rule ID>', reason })`.
 *
 * Register it with `SafeLambdaValidation.addTo(app)`, which works on every supported aws-cdk-lib. The
 * plugin runs the same engine as the `NoLatestInvocations` aspect; a finding the aspect already
 * reported (as a warning) is not reported again, and an error of the aspect fails synthesis before
 * any plugin runs. Before aws-cdk-lib 2.278.0 the report cannot show every finding nor fail
 * `app.synth()`, so `addTo()` also runs the guard as an aspect there (see the README). A
 * `SafeLambda-…` acknowledgement that matches no finding is reported as `SafeLambda-UnusedSuppression`.
 */
export class SafeLambdaValidationPlugin {
  /** The plugin's name in the validation report, and the namespace of its rule IDs (`SafeLambda::...`). */
  public static readonly PLUGIN_NAME = 'SafeLambda';

  /** The plugin's name in the validation report. */
  public readonly name: string = SafeLambdaValidationPlugin.PLUGIN_NAME;

  /** The rule IDs the plugin evaluates. */
  public readonly ruleIds: string[] = [...GuardRules.ALL_IDS];

  /** The plugin's version. */
  public readonly version?: string;

  private readonly props: NoLatestInvocationsProps;
  private readonly scope?: IConstruct;

  /**
   * @param props the guard's options
   * @param scope where the plugin checks when aws-cdk-lib does not pass the construct tree (before 2.269.0)
   */
  constructor(props: NoLatestInvocationsProps = {}, scope?: IConstruct) {
    // Validates the options the same way the aspect does (and fails the same way).
    new NoLatestInvocations(props);
    this.props = props;
    this.scope = scope;
  }

  /**
   * Checks the app and reports the findings in the templates of `context`.
   */
  public validate(context: SafeLambdaValidationContext): SafeLambdaValidationReport {
    const root = context.appConstruct ?? this.scope?.node.root;
    if (!root) {
      throw new Error('SafeLambdaValidationPlugin: aws-cdk-lib did not pass the construct tree (appConstruct, 2.269.0 and later). '
        + 'Register the plugin with SafeLambdaValidation.addTo(app), which tells it where the app is.');
    }
    const found = NoLatestInvocations.findings(root, this.props);
    // An acknowledgement that matches nothing is reported like a stale GuardSuppressions entry (issue #17 §5).
    const findings = [...found, ...unmatchedAcknowledgements(root, found)];
    // Registered through addTo(): report the resources of the Stages this plugin is the nearest for.
    // Added by hand: report what is in the templates aws-cdk-lib passes.
    const owns = (resource: IConstruct) => !this.scope || pluginOf(resource) === this;
    const violations = toViolations(root, findings, context.templatePaths ?? [], this.props.failureMode ?? FailureMode.ERROR, owns);
    return {
      success: violations.every((v) => v.severity !== 'error'),
      violations,
    };
  }
}
