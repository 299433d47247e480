import { CliFinding } from './cli-finding';
import { cdkPathOf } from './template-references';
import { LoadedTemplate } from './template-source';
import { suppressionReason } from './template-suppressions';
import { GuardRules } from '../../guard/guard-rules';
import { webFunctionAllAtOnce } from '../../guard/rules/web-function-all-at-once';

/**
 * The optional rules, on under `check --strict` as they are under the guard's strict mode
 * (`GuardedFunctions.ALL`): today `SafeLambda-WebFunctionAllAtOnce`, a Web Function endpoint that moves
 * all traffic to each new revision (SAM's `AutoDeploymentMode: LatestRevision`; issue #17 §2). The rule
 * is the guard's own, over the template entry: the same verdicts on SAM as written and on CDK output.
 */
export function optionalFindings(templates: LoadedTemplate[]): CliFinding[] {
  return templates.flatMap((t) => Object.entries<any>(t.template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    if (typeof resource?.Type !== 'string') {
      return [];
    }
    const constructPath = cdkPathOf(resource);
    return webFunctionAllAtOnce(resource.Type, resource, constructPath ?? `Resources.${logicalId}`).map((verdict): CliFinding => {
      const ruleId = GuardRules.WEB_FUNCTION_ALL_AT_ONCE;
      const reason = suppressionReason(t, { ruleId, logicalId, propertyPath: verdict.propertyPath, functionIds: [] });
      return {
        ruleId: GuardRules.WEB_FUNCTION_ALL_AT_ONCE,
        level: 'warning',
        file: t.file,
        stackName: t.stackName,
        logicalId,
        templatePath: `Resources.${logicalId}.${verdict.propertyPath}`,
        propertyPath: verdict.propertyPath,
        constructPath,
        message: verdict.message,
        suppressed: reason !== undefined,
        ...(reason !== undefined ? { suppressionReason: reason } : {}),
      };
    });
  }));
}
