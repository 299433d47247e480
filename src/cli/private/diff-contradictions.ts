import { CliFinding } from './cli-finding';
import { directReference, hazard, resourcesOf, shown, StackChange } from './diff-model';
import { targetOf } from './template-references';
import { ALIAS_TYPE } from '../../private/bindings/occurrences';

// A function name that carries a qualifier next to a `Qualifier` property that says another one
// (issue #16 §7, deploy-semantics §4): Lambda answers "The derived qualifier from the function name does
// not match the specified qualifier", so the deployment fails. The migration's former rewrite of an
// EventInvokeConfig (`FunctionName: fn:live`, `Qualifier: $LATEST`) was one.

export const QUALIFIER_CONFLICT = 'SafeLambda-QualifierConflict';

/** Resource type → the property naming the function, and the one naming the qualifier. */
const QUALIFIED_PAIRS: Record<string, { name: string; qualifier: string }> = {
  'AWS::Lambda::EventInvokeConfig': { name: 'FunctionName', qualifier: 'Qualifier' },
  'AWS::Lambda::Url': { name: 'TargetFunctionArn', qualifier: 'Qualifier' },
};

export function contradictionHazards(change: StackChange): CliFinding[] {
  const t = change.next;
  const findings: CliFinding[] = [];
  for (const [id, r] of Object.entries(resourcesOf(t))) {
    const pair = QUALIFIED_PAIRS[r?.Type];
    if (!pair) continue;
    const named = qualifierInName(change, r.Properties?.[pair.name]);
    const qualifier = r.Properties?.[pair.qualifier];
    if (named === undefined || typeof qualifier !== 'string' || named === qualifier) continue;
    findings.push(hazard({
      ruleId: QUALIFIER_CONFLICT,
      level: 'error',
      template: t,
      logicalId: id,
      propertyPath: `Properties.${pair.qualifier}`,
      functionId: targetOf(t, directReference(r.Properties?.[pair.name]) ?? '')?.functionId,
      problem: `${pair.name} says :${named} but ${pair.qualifier} ${qualifier}: Lambda refuses`,
      detail: `${pair.name} ${shown(r.Properties?.[pair.name])} carries the qualifier ${named}; Lambda answers "The derived qualifier from the `
        + 'function name does not match the specified qualifier", and the deployment fails',
      fix: `name the bare function in ${pair.name} and the alias in ${pair.qualifier} (\`${pair.name}: !Ref Fn\`, \`${pair.qualifier}: ${named}\`), `
        + 'as aws-cdk-lib renders it for an alias',
    }));
  }
  return findings;
}

/**
 * The qualifier a function name or ARN carries, if it can be told: `!Ref Alias` (the alias's Name),
 * `name:live`, an ARN with 8 parts, or a `Fn::Join`/`Fn::Sub` ending in `:<qualifier>`; `undefined` otherwise.
 */
function qualifierInName(change: StackChange, value: any): string | undefined {
  const t = change.next;
  const id = directReference(value);
  if (id !== undefined) {
    // `!Ref Alias` is the alias ARN: its qualifier is the alias's name; a version's number is known only at deploy time
    const resource = resourcesOf(t)[id];
    const isAlias = targetOf(t, id)?.cfnResourceType === ALIAS_TYPE && typeof value?.Ref === 'string';
    return isAlias && typeof resource?.Properties?.Name === 'string' ? resource.Properties.Name : undefined;
  }
  if (typeof value === 'string') {
    const parts = value.split(':');
    if (value.startsWith('arn:')) return parts.length >= 8 ? parts[7] : undefined;
    return parts.length === 2 ? parts[1] : undefined;
  }
  const join = value?.['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1]) && typeof join[1][join[1].length - 1] === 'string') {
    const parts: unknown[] = join[1];
    const last = parts[parts.length - 1] as string;
    if (join[0] === ':') {
      // `[!GetAtt Fn.Arn, live]` or `[arn, partition, lambda, region, account, function, name, live]`
      if (parts.length === 2 && directReference(parts[0]) !== undefined) return last;
      return parts.length === 8 && parts[0] === 'arn' ? last : undefined;
    }
    const m = /^:([A-Za-z0-9_$-]+)$/.exec(last);
    return join[0] === '' && parts.length >= 2 && directReference(parts[parts.length - 2]) !== undefined ? m?.[1] : undefined;
  }
  const sub = value?.['Fn::Sub'];
  const subText = Array.isArray(sub) ? sub[0] : sub;
  if (typeof subText === 'string') {
    const m = /\}:([A-Za-z0-9_$-]+)$/.exec(subText);
    return m?.[1];
  }
  return undefined;
}
