import { GuardRules } from '../guard-rules';
import { isNonBinding } from '../private/non-bindings';
import { valueAt } from '../private/paths';
import { describeReference, Qualifier, qualifierValue, reachesLatest } from '../private/qualifier';
import { RuleInput, RuleOutcome } from '../private/rule';

/**
 * Resources whose function reference is qualified by a separate property: binding path → qualifier path.
 */
const SEPARATE_QUALIFIERS: Record<string, Record<string, string>> = {
  'AWS::Lambda::Url': { 'Properties.TargetFunctionArn': 'Properties.Qualifier' },
  'AWS::Lambda::EventInvokeConfig': { 'Properties.FunctionName': 'Properties.Qualifier' },
  'AWS::SSM::MaintenanceWindowTask': { 'Properties.TaskArn': 'Properties.TaskInvocationParameters.MaintenanceWindowLambdaParameters.Qualifier' },
};

/**
 * `SafeLambda-LatestBinding` (error): an integration binds a guarded function's unqualified ARN or name,
 * or its `:$LATEST` qualifier.
 *
 * CloudFormation updates a function's code and its configuration in two separate calls; whatever invokes
 * `$LATEST` in between can run new code with old configuration, or the reverse. Fix: pass the SafeFunction
 * itself (it is its `live` alias), `.live` or `.currentVersion`, never `.function`.
 */
export class LatestBindingRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.LATEST_BINDING;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;

  /** @internal */
  public _evaluate(input: RuleInput): RuleOutcome {
    const { occurrence, analysis } = input;
    if (isNonBinding(analysis.resourceType, occurrence.path, occurrence.before)) {
      return null;
    }
    let qualifier = input.qualifier;
    const qualifierPath = SEPARATE_QUALIFIERS[analysis.resourceType]?.[occurrence.path];
    if (qualifier === Qualifier.NONE && qualifierPath) {
      qualifier = qualifierValue(valueAt(analysis.entry, qualifierPath));
    }
    if (qualifier === Qualifier.NONE && analysis.resourceType === 'AWS::StepFunctions::StateMachine') {
      // The deprecated `LambdaInvoke.qualifier` puts "Qualifier" next to "FunctionName" in the task's Parameters.
      // Either order: `CallAwsService` writes the parameters as the user lists them ("Qualifier" first or last).
      const sibling = /^"[^{}]*?"Qualifier"\s*:\s*"([^"]+)"/.exec(occurrence.after)
        ?? /"Qualifier"\s*:\s*"([^"]+)"[^{}]*$/.exec(occurrence.before);
      qualifier = sibling ? qualifierValue(sibling[1]) : qualifier;
    }
    if (!reachesLatest(qualifier)) {
      return null;
    }
    const where = qualifierPath && qualifier === Qualifier.LATEST ? `${occurrence.path} (with ${qualifierPath} '$LATEST')` : occurrence.path;
    return {
      problem: `binds ${where} to ${describeReference(occurrence, qualifier)} of ${input.guarded.path}, so it invokes \`$LATEST\`, `
        + 'which can run new code with old configuration while a deployment is in progress',
    };
  }
}
