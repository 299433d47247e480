/** One result of `check` or `diff`, in the shape every output format renders. */
export interface CliFinding {
  readonly ruleId: string;
  readonly level: 'error' | 'warning';
  /** The template file. */
  readonly file: string;
  readonly stackName: string;
  /** Logical ID of the resource the finding is about. */
  readonly logicalId: string;
  /** `Resources.<logicalId>.<propertyPath>`. */
  readonly templatePath: string;
  /** Path inside the resource's entry, e.g. `Properties.Integration.Uri` (what `appliesTo` matches). */
  readonly propertyPath: string;
  /** The CDK construct path (`aws:cdk:path`), when the template was synthesized by the CDK. */
  readonly constructPath?: string;
  /** Logical ID of the function concerned. */
  readonly functionId?: string;
  /** The stack of that function (another stack's when the reference is a cross-stack import). */
  readonly functionStack?: string;
  readonly message: string;
  readonly suppressed: boolean;
  readonly suppressionReason?: string;
  /**
   * `check`: the permissions and grants the binding's integration brought on the same function, which
   * the fix of the binding fixes too (each is no finding of its own), as the guard's `relatedResources`.
   */
  readonly relatedResources?: CliRelatedResource[];
}

/**
 * A permission or grant that belongs to a finding (see `CliFinding.relatedResources`): where it is, its
 * rule and the level it would have on its own, and `resourcePath`, as the message names it (the
 * construct path, or `Resources.<logicalId>`).
 */
export interface CliRelatedResource extends Pick<CliFinding,
'ruleId' | 'level' | 'file' | 'stackName' | 'logicalId' | 'templatePath' | 'propertyPath' | 'constructPath' | 'suppressed'> {
  readonly resourcePath: string;
}
