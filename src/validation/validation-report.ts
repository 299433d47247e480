import { IConstruct } from 'constructs';

/*
 * This library's own mirror of aws-cdk-lib's validation plugin types (`IPolicyValidationContext`,
 * `PolicyValidationPluginReport`, ...). Those types do not exist in every aws-cdk-lib the library
 * supports, and a jsii library cannot name types its peer floor lacks; the shapes are kept
 * structurally identical, so aws-cdk-lib accepts the plugin as its own.
 */

/**
 * What aws-cdk-lib passes to a validation plugin (`IPolicyValidationContext`).
 */
export interface SafeLambdaValidationContext {
  /**
   * The absolute paths of the templates to check: the stacks of the Stage the plugin is registered on.
   */
  readonly templatePaths: string[];

  /**
   * The root of the app (aws-cdk-lib 2.269.0 and later).
   *
   * @default - the scope given to `SafeLambdaValidation.addTo()`
   */
  readonly appConstruct?: IConstruct;
}

/**
 * A resource in violation of a rule (`PolicyViolatingResource`).
 */
export interface SafeLambdaViolatingResource {
  /**
   * The logical ID of the resource in its template.
   */
  readonly resourceLogicalId: string;

  /**
   * The absolute path of the template that holds the resource.
   */
  readonly templatePath: string;

  /**
   * Where the violation sits in the resource, for example `Properties/Targets/0/Arn`.
   */
  readonly locations: string[];

  /**
   * Construct path of the resource (aws-cdk-lib matches acknowledgements against it).
   *
   * @default - aws-cdk-lib infers it from the logical ID
   */
  readonly constructPath?: string;
}

/**
 * One rule's violation (`PolicyViolation`).
 */
export interface SafeLambdaViolation {
  /**
   * The rule ID, one of `GuardRules`.
   */
  readonly ruleName: string;

  /**
   * What is wrong and how to fix it: the guard's finding message.
   */
  readonly description: string;

  /**
   * The resource in violation: the binding (one, so that a report printed per resource prints the
   * finding once; the permissions and grants its integration brought are in `ruleMetadata`).
   */
  readonly violatingResources: SafeLambdaViolatingResource[];

  /**
   * How to fix it.
   *
   * @default - the description says it
   */
  readonly fix?: string;

  /**
   * `error` or `warning`; `info` for a finding a suppression (or an acknowledgement) covers.
   *
   * @default 'error'
   */
  readonly severity?: string;

  /**
   * Plugin-specific data, rendered as is: `relatedResources` (the permissions and grants the binding's
   * integration brought: `<construct path> (<property path>, <rule ID>)`, `; `-separated), and for a
   * suppressed finding, `suppressed` (`'true'`) and `suppressionReason`.
   *
   * @default - none
   */
  readonly ruleMetadata?: { [key: string]: string };
}

/**
 * A validation plugin's report (`PolicyValidationPluginReport`).
 */
export interface SafeLambdaValidationReport {
  /**
   * False when any violation is an error.
   */
  readonly success: boolean;

  /**
   * The violations found.
   */
  readonly violations: SafeLambdaViolation[];

  /**
   * The version of this library.
   *
   * @default - none
   */
  readonly pluginVersion?: string;
}
