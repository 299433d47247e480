/**
 * How the `$LATEST` guard reports a finding.
 */
export enum FailureMode {
  /**
   * Every error-level finding fails synthesis: it is attached to the binding resource with
   * `node.addValidation`, so `app.synth()` (and `cdk synth`) throws and no cloud assembly is written,
   * in every jsii language.
   *
   * Error annotations would not do that: they fail `cdk deploy`, not synthesis (aws/aws-cdk#18317).
   */
  ERROR = 'ERROR',

  /**
   * Every finding is an acknowledgeable warning (`Annotations.addWarningV2` with the rule's ID), for
   * a gradual rollout on an existing app. `cdk synth --strict` still fails on them.
   */
  WARNING = 'WARNING',
}
