import { LoadedTemplate } from './template-source';
import { SUPPRESSION_METADATA } from '../../private/suppression-store';

/** Key of suppressions in a resource's template `Metadata`. */
export const TEMPLATE_SUPPRESSIONS_KEY = 'cdk-safe-lambda';
const ACKNOWLEDGED_RULES_METADATA = 'aws:cdk:acknowledged-rules';

interface Candidate {
  readonly ruleId: string;
  readonly logicalId: string;
  readonly propertyPath: string;
  readonly functionIds: string[];
}

/**
 * The reason a finding is suppressed, if it is: `Metadata: { 'cdk-safe-lambda': { suppressions: [{ ruleId,
 * reason, appliesTo }] } }` on the resource, or the `GuardSuppressions` (and CDK acknowledgements) the
 * guard wrote as construct metadata into a cloud assembly's manifest, on the resource or an ancestor.
 */
export function suppressionReason(t: LoadedTemplate, c: Candidate): string | undefined {
  const resource = t.template.Resources?.[c.logicalId];
  const entries = resource?.Metadata?.[TEMPLATE_SUPPRESSIONS_KEY]?.suppressions;
  for (const s of Array.isArray(entries) ? entries : []) {
    if (matches(s, c)) {
      return s.reason;
    }
  }
  const cdkPath = resource?.Metadata?.['aws:cdk:path'];
  if (typeof cdkPath !== 'string') {
    return undefined;
  }
  const parts = cdkPath.split('/');
  for (let n = parts.length; n > 0; n--) {
    for (const entry of t.constructMetadata[`/${parts.slice(0, n).join('/')}`] ?? []) {
      if (entry.type === SUPPRESSION_METADATA && matches(entry.data, c)) {
        return (entry.data as any).reason;
      }
      if (entry.type === ACKNOWLEDGED_RULES_METADATA && typeof entry.data === 'object' && entry.data !== null) {
        for (const [id, reason] of Object.entries(entry.data)) {
          if (id === c.ruleId || id.endsWith(`::${c.ruleId}`)) {
            return typeof reason === 'string' ? reason : 'acknowledged';
          }
        }
      }
    }
  }
  return undefined;
}

function matches(s: any, c: Candidate): boolean {
  if (typeof s !== 'object' || s === null || s.ruleId !== c.ruleId || typeof s.reason !== 'string' || s.reason.trim() === '') {
    return false;
  }
  return !Array.isArray(s.appliesTo) || s.appliesTo.some((a: unknown) => a === c.propertyPath || c.functionIds.includes(a as string));
}

/** Suppressions in template Metadata without a reason: they suppress nothing, and say so. */
export function suppressionsWithoutReason(t: LoadedTemplate): string[] {
  const problems: string[] = [];
  for (const [id, resource] of Object.entries<any>(t.template.Resources ?? {})) {
    const entries = resource?.Metadata?.[TEMPLATE_SUPPRESSIONS_KEY]?.suppressions;
    (Array.isArray(entries) ? entries : []).forEach((s: any, i: number) => {
      if (typeof s?.reason !== 'string' || s.reason.trim() === '') {
        problems.push(`${t.file}: Resources.${id}.Metadata.${TEMPLATE_SUPPRESSIONS_KEY}.suppressions[${i}] has no reason`);
      }
    });
  }
  return problems;
}
