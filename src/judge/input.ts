import { VersionFeature } from '../private/bindings/guarded-function';
import { Qualifier } from '../private/bindings/qualifier';

/*
 * What the judge reads: a template-level view of one reference to a function, the same for the
 * construct guard (rendered from the construct tree) and for `cdk-safe-lambda check` (read from template
 * JSON). Nothing here is a construct (issue #18).
 */

/** A reference to a Lambda function, alias or version where a resource uses it. */
export interface JudgedReference {
  /** `AWS::Lambda::Function`, `::Alias` or `::Version` (a SAM function counts as a function). */
  readonly targetType: string;
  /**
   * `Arn`/`Ref` (or another GetAtt attribute) as written, or `Name` when the function name was cut out
   * of the target's ARN (`Fn::Select [6, Fn::Split [':', arn]]`, as `Function.fromFunctionArn` does).
   */
  readonly attribute: string;
  /** Path relative to the resource's entry, as rendered, e.g. `Properties.Integration.Uri` (the rules' logic reads it). */
  readonly path: string;
  /** Literal text right after the reference in the string it is part of (`:live`, `/invocations`...). */
  readonly after: string;
  /** Literal text right before it (`/aws/lambda/`...). */
  readonly before: string;
}

/** The resource that holds the reference: its type and its entry (`Properties`, `UpdatePolicy`...). */
export interface JudgedResource {
  readonly resourceType: string;
  /** The template entry, references as sentinels (guard) or intrinsics (check). */
  readonly entry: any;
}

/** The function a reference reaches, as findings name it. */
export interface TargetFunction {
  /** Construct path (the SafeFunction's for its inner function), or `Resources.<logicalId>` in a template without one. */
  readonly path: string;
  /** Whether it is a SafeFunction's inner function (the fix is then "pass the SafeFunction itself"). */
  readonly isSafeFunction: boolean;
  /** The Lambda feature that only works through versions, if any (issue #12). */
  readonly feature?: VersionFeature;
}

/** Everything a rule looks at for one reference to a guarded function. */
export interface JudgeInput {
  readonly analysis: JudgedResource;
  readonly occurrence: JudgedReference;
  readonly qualifier: Qualifier;
  readonly guarded: TargetFunction;
  readonly requireVersionsInStateMachines: boolean;
  /**
   * The reference's path as the user reads it (the synthesized template's list order, or where a SAM
   * template writes it): rules WRITE this path in their messages; their logic reads `occurrence.path`.
   * A function, as telling it can cost a rendering: only findings ask.
   */
  readonly shownPath: () => string;
}

/** What a rule found wrong. */
export interface RuleVerdict {
  /** What the resource does, e.g. 'binds Properties.Targets[0].Arn to the unqualified ARN of Stack/Fn'. */
  readonly problem: string;
  /** The fix, when it differs from the usual one (bind the SafeFunction itself, `.live` or `.currentVersion`). */
  readonly fix?: string;
}

/**
 * A rule's verdict on one reference: `undefined` when the reference is not the rule's business (the
 * next rule looks at it), `null` when it is and it is fine, a verdict when it is a finding.
 */
export type RuleOutcome = RuleVerdict | null | undefined;

/** One rule of the judge. */
export interface JudgeRule {
  /** One of `GuardRules`. */
  readonly ruleId: string;
  /** Whether a finding fails synthesis in `FailureMode.ERROR` (`false`: always a warning). */
  readonly isError: boolean;
  evaluate(input: JudgeInput): RuleOutcome;
}
