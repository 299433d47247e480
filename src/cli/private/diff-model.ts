import { CliFinding } from './cli-finding';
import { cdkPathOf, functionPathOf, targetOf } from './template-references';
import { LoadedTemplate } from './template-source';
import { suppressionReason } from './template-suppressions';
import { sameTemplateValue } from '../../private/replacement';

// What every hazard of `diff` shares (issue #16 §7): a stack before and after the deployment, its
// resources paired by logical ID (CloudFormation's own pairing: a logical ID that leaves the template is
// a resource deleted, a new one a resource created), and findings whose first line fits a terminal.

/** One stack of the deployment: its deployed template (if any) and the one about to be deployed. */
export interface StackChange {
  readonly previous?: LoadedTemplate;
  readonly next: LoadedTemplate;
}

/** `Resources` of a template (empty when missing). */
export function resourcesOf(t: LoadedTemplate | undefined): Record<string, any> {
  const resources = t?.template?.Resources;
  return typeof resources === 'object' && resources !== null ? resources : {};
}

/** The resources of `t` whose `Type` is one of `types` (or starts with a `Custom::` prefix given as `Custom::`). */
export function resourcesOfType(t: LoadedTemplate | undefined, ...types: string[]): Array<[string, any]> {
  const byType = indexByType(resourcesOf(t));
  if (types.every((type) => !type.endsWith('::'))) {
    return types.length === 1 ? byType.get(types[0]) ?? [] : Object.entries(resourcesOf(t)).filter(([, r]) => types.includes(r?.Type));
  }
  return Object.entries(resourcesOf(t)).filter(([, r]) => typeof r?.Type === 'string'
    && types.some((type) => (type.endsWith('::') ? r.Type.startsWith(type) : r.Type === type)));
}

/** Resources by type, computed once per `Resources` object (every hazard asks for a few types). */
const BY_TYPE = new WeakMap<object, Map<string, Array<[string, any]>>>();

function indexByType(resources: Record<string, any>): Map<string, Array<[string, any]>> {
  let index = BY_TYPE.get(resources);
  if (!index) {
    index = new Map();
    for (const entry of Object.entries(resources)) {
      const type = entry[1]?.Type;
      if (typeof type === 'string') index.set(type, [...index.get(type) ?? [], entry]);
    }
    BY_TYPE.set(resources, index);
  }
  return index;
}

/** Equal as CloudFormation compares values (`10` and `'10'` alike). */
export function sameValue(a: unknown, b: unknown): boolean {
  return sameTemplateValue(a, b);
}

/** The logical IDs `value` references (`Ref`, `Fn::GetAtt`, `${X}`/`${X.Attr}` in `Fn::Sub`), pseudo parameters excluded. */
export function referencedIds(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencedIds(v, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) {
        out.add(v);
      } else if (key === 'Fn::GetAtt') {
        const id = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
        if (typeof id === 'string') out.add(id);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        for (const m of typeof text === 'string' ? text.matchAll(/\$\{([^!}][^}.]*)(\.[^}]*)?\}/g) : []) {
          if (!m[1].startsWith('AWS::')) out.add(m[1]);
        }
        if (Array.isArray(v)) referencedIds(v[1], out);
      } else {
        referencedIds(v, out);
      }
    }
  }
  return out;
}

/** Whether `value` references `logicalId` (see `referencedIds`). */
export function references(value: unknown, logicalId: string): boolean {
  return referencedIds(value).has(logicalId);
}

/** The logical ID of the one resource `value` references (`{ Ref: X }`, `{ Fn::GetAtt: [X, a] }`), if it is that simple. */
export function directReference(value: unknown): string | undefined {
  const v = value as any;
  if (typeof v?.Ref === 'string') return v.Ref;
  const getAtt = v?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** The function a Lambda resource's `FunctionName`-like value names, if it is a function, alias or version of `t`. */
export function functionIdOf(t: LoadedTemplate, value: unknown): string | undefined {
  const id = directReference(value);
  return id === undefined ? undefined : targetOf(t, id)?.functionId;
}

/** Renders a value for a message: a literal as JSON, an intrinsic shortened (`!Ref X`, `!GetAtt X.Arn`). */
export function shown(value: unknown): string {
  const v = value as any;
  if (typeof v?.Ref === 'string') return `!Ref ${v.Ref}`;
  if (Array.isArray(v?.['Fn::GetAtt'])) return `!GetAtt ${v['Fn::GetAtt'].join('.')}`;
  const text = JSON.stringify(v) ?? 'nothing';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** What a `diff` finding is about. */
export interface HazardAt {
  readonly ruleId: string;
  readonly level: 'error' | 'warning';
  readonly template: LoadedTemplate;
  readonly logicalId: string;
  /** Inside the entry: `Properties.Endpoint`, `Type`, or (for outputs) the empty string. */
  readonly propertyPath: string;
  /** Where the finding sits when it is not a resource: `Outputs.<name>.Value`. */
  readonly templatePath?: string;
  readonly functionId?: string;
  /** First line: what happens, short (the line starts with the rule and the path; ≈ 120 characters in all). */
  readonly problem: string;
  /** Why it matters, on the next lines. */
  readonly detail: string;
  /** The way out, on its own line. */
  readonly fix: string;
}

/**
 * A finding of `diff`: `[rule] stack/logicalId: problem` on the first line (it fits a terminal), then
 * the template path, file and construct path, why, and the fix, each on a line of its own. Suppressions count as
 * in `check`: those of the template about to be deployed.
 */
export function hazard(h: HazardAt): CliFinding {
  const t = h.template;
  const templatePath = h.templatePath ?? `Resources.${h.logicalId}${h.propertyPath ? `.${h.propertyPath}` : ''}`;
  const resource = resourcesOf(t)[h.logicalId];
  const constructPath = cdkPathOf(resource);
  const functionIds = h.functionId ? [h.functionId, functionPathOf(t, h.functionId)] : [];
  const reason = suppressionReason(t, { ruleId: h.ruleId, logicalId: h.logicalId, propertyPath: h.propertyPath, functionIds });
  const where = `${templatePath} (${t.file}${constructPath ? `, ${constructPath}` : ''})`;
  const subject = templatePath.startsWith('Resources.') ? h.logicalId : templatePath;
  return {
    ruleId: h.ruleId,
    level: h.level,
    file: t.file,
    stackName: t.stackName,
    logicalId: h.logicalId,
    templatePath,
    propertyPath: h.propertyPath,
    constructPath,
    functionId: h.functionId,
    message: `[${h.ruleId}] ${t.stackName}/${subject}: ${h.problem}\n  at ${where}:\n  ${h.detail}.\n  Fix: ${h.fix}.`,
    suppressed: reason !== undefined,
    suppressionReason: reason,
  };
}
