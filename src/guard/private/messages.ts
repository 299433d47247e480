import { GuardedFunction } from './guarded-function';
import { RuleVerdict } from './rule';
import { FindingResource } from '../finding';
import { GuardRules } from '../guard-rules';

/**
 * The message of a finding: the binding resource, the property path, the guarded function (all in
 * `verdict.problem`), the permissions and grants its integration brought (`related`), the fix and the
 * exact suppression call (which covers the related resources too).
 */
export function findingMessage(ruleId: string, resourcePath: string, propertyPath: string, verdict: RuleVerdict, guarded: GuardedFunction,
  related: FindingResource[] = []): string {
  const fix = verdict.fix ?? (guarded.isSafeFunction
    ? `pass ${guarded.path} itself (a SafeFunction or SafeAlias is its live alias), its \`.live\` or \`.currentVersion\`, never \`.function\` or the function it wraps`
    // Routes that fit any function kind (NodejsFunction, DockerImageFunction, PythonFunction...), never
    // "make it a SafeFunction", which would replace the function (issue #10).
    : `make ${guarded.path} safe in place and bind that: \`new SafeAlias(scope, 'Safe', { function: fn })\` for this function, or `
      + '`MakeFunctionsSafe.applyTo(app)` for the whole app (it also rewrites this binding); or bind `fn.currentVersion`');
  return `[${ruleId}] ${resourcePath} ${verdict.problem}${relatedClause(related)}. Fix: ${fix}. `
    + `If it is safe, suppress it with a reason: GuardSuppressions.add(${suppressionScope(resourcePath)}, { ruleId: '${ruleId}', reason: '<why this cannot reach $LATEST during a deploy>', appliesTo: ['${propertyPath}'] }).`;
}

/** The message of a suppression that matched no finding. */
export function unusedSuppressionMessage(ruleId: string, scopePath: string, reason: string, appliesTo: string[] | undefined): string {
  const narrowed = appliesTo ? ` with appliesTo [${appliesTo.map((a) => `'${a}'`).join(', ')}]` : '';
  return `[SafeLambda-UnusedSuppression] the suppression of ${ruleId} on ${scopePath || '<root>'}${narrowed} (reason: '${reason}') matched no finding. `
    + 'Remove it, or fix its ruleId or appliesTo (entries must equal a finding\'s propertyPath or functionPath).';
}

/** `; and the permissions and grants it brought: <path> (<propertyPath>, <rule>), ...; the fix covers them too`. */
function relatedClause(related: FindingResource[]): string {
  if (related.length === 0) {
    return '';
  }
  const kinds = [...new Set(related.map((r) => r.ruleId === GuardRules.LATEST_GRANT ? 'grants' : 'permissions'))].sort().reverse().join(' and ');
  const list = related.map((r) => `${r.resourcePath} (${r.propertyPath}, ${r.ruleId})`).join(', ');
  return `; and the ${kinds} its integration brought on the same function: ${list}; the fix covers them too`;
}

function suppressionScope(resourcePath: string): string {
  return `<the construct at '${resourcePath}' or one of its parents>`;
}
