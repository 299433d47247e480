import { GuardRules } from '../../guard/guard-rules';
import { isNonBinding } from '../../private/bindings/non-bindings';
import { Qualifier, qualifierValue, reachesLatest } from '../../private/bindings/qualifier';
import { JudgeInput, JudgeRule, RuleOutcome } from '../input';
import { describeReference } from '../reference';
import { valueAt } from '../value-at';

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
export const LATEST_BINDING: JudgeRule = {
  ruleId: GuardRules.LATEST_BINDING,
  /** Findings fail synthesis in `FailureMode.ERROR`. */
  isError: true,
  evaluate(input: JudgeInput): RuleOutcome {
    const { occurrence, analysis } = input;
    if (isNonBinding(analysis.resourceType, occurrence.path, occurrence.before, { after: occurrence.after, entry: analysis.entry })) {
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
    const where = qualifierPath && qualifier === Qualifier.LATEST ? `${input.shownPath()} (with ${qualifierPath} '$LATEST')` : input.shownPath();
    return {
      problem: `binds ${where} to ${describeReference(occurrence, qualifier)} of ${input.guarded.path}, so it invokes \`$LATEST\`, `
        + 'which can run new code with old configuration while a deployment is in progress',
    };
  },
};
