/**
 * IDs of the warnings safe functions emit when their qualified name (`name:live`) is used where a
 * bare function name is wanted.
 *
 * Each is acknowledgeable: `Annotations.of(scope).acknowledgeWarning(SafeFunctionWarnings.QUALIFIED_NAME_AS_NAME, 'reason')`.
 */
export class SafeFunctionWarnings {
  /**
   * A safe function's `functionName` (`name:live`) is part of a log group name or a stack output.
   * A colon is not allowed in a log group name, and an output that used to show the bare name
   * silently changes value. Fix: use `.function.functionName`.
   */
  public static readonly QUALIFIED_NAME_AS_NAME = 'cdk-safe-lambda:SafeFunction.qualifiedNameAsName';

  private constructor() {}
}
