import { InputError } from './input-error';
import { LoadedTemplate } from './template-source';
import { ALIAS_TYPE, FUNCTION_TYPE, VERSION_TYPE } from '../../private/bindings/occurrences';
import { FlatOccurrence, IntrinsicWalker, OPAQUE } from '../../private/intrinsics';

export const SAM_FUNCTION_TYPE = 'AWS::Serverless::Function';

/** A Lambda function, alias or version resource of a template. */
export interface TemplateTarget {
  readonly template: LoadedTemplate;
  readonly logicalId: string;
  /** As the guard's judge reads it: `AWS::Lambda::Function`, `::Alias` or `::Version` (SAM functions count as functions). */
  readonly cfnResourceType: string;
  /** The function behind it (itself for a function), when it can be told. */
  readonly functionId?: string;
}

/**
 * A reference to a Lambda resource in a template, shaped like the guard's `Occurrence` so that the
 * guard's judge (qualifier, non-bindings, rules) decides it: the text right after it decides the qualifier.
 */
export type TemplateOccurrence = FlatOccurrence<TemplateTarget>;

/** Every intrinsic function CloudFormation knows (language extensions included); any other `Fn::` key is an error. */
const KNOWN_FUNCTIONS = new Set(['Fn::Base64', 'Fn::Cidr', 'Fn::FindInMap', 'Fn::GetAtt', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Join',
  'Fn::Select', 'Fn::Split', 'Fn::Sub', 'Fn::Transform', 'Fn::And', 'Fn::Equals', 'Fn::If', 'Fn::Not', 'Fn::Or', 'Fn::Length',
  'Fn::ToJsonString', 'Fn::GetStackOutput']);

/** A value of a resource the walker cannot read to its end: an input error once the resource is known. */
export class UnreadableValueError extends Error {
  constructor(public readonly path: string, private readonly problem: (at: string) => string) {
    super(problem(path));
  }

  /** The input error, naming the file and the template path (`Resources.<logicalId>.<path>`). */
  public at(file: string, logicalId: string): InputError {
    return new InputError(`${file}: ${this.problem(`Resources.${logicalId}.${this.path}`)}`);
  }
}

/** An intrinsic function CloudFormation does not know: the template cannot deploy. */
export class UnknownIntrinsicError extends UnreadableValueError {
  constructor(public readonly key: string, path: string) {
    super(path, (at) => `unknown intrinsic function '${key}' at ${at} (CloudFormation would refuse the template)`);
  }
}

/** Export name → the exporting template and the exported value, across every loaded template. */
export type ExportIndex = Map<string, { template: LoadedTemplate; value: unknown }>;

export function exportIndex(templates: LoadedTemplate[]): ExportIndex {
  const index: ExportIndex = new Map();
  for (const t of templates) {
    for (const output of Object.values<any>(t.template.Outputs ?? {})) {
      const name = literalName(output?.Export?.Name, t);
      if (name !== undefined) {
        index.set(name, { template: t, value: output.Value });
      }
    }
  }
  return index;
}

/** The literal an export or import name stands for (`!Sub '${AWS::StackName}-Arn'`, `!Join`), if it can be told. */
export function literalName(value: unknown, t: LoadedTemplate): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const sub = (value as any)['Fn::Sub'];
  if (typeof sub === 'string') {
    return sub.includes('${') ? sub.replace(/\$\{AWS::StackName\}/g, t.stackName).replace(/\$\{[^}]*\}/g, OPAQUE) : sub;
  }
  const join = (value as any)['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const parts = join[1].map((p: unknown) => ((p as any)?.Ref === 'AWS::StackName' ? t.stackName : literalName(p, t) ?? OPAQUE));
    return parts.join(typeof join[0] === 'string' ? join[0] : '');
  }
  return undefined;
}

/** The Lambda resource `logicalId` names in `t` (SAM's `Fn.Alias`/`Fn.Version` included), if any. */
export function targetOf(t: LoadedTemplate, logicalId: string): TemplateTarget | undefined {
  const resources = t.template.Resources ?? {};
  const resource = resources[logicalId];
  const type = resource?.Type;
  if (type === FUNCTION_TYPE || type === SAM_FUNCTION_TYPE) {
    return { template: t, logicalId, cfnResourceType: FUNCTION_TYPE, functionId: logicalId };
  }
  if (type === ALIAS_TYPE || type === VERSION_TYPE) {
    return { template: t, logicalId, cfnResourceType: type, functionId: functionNamed(t, resource.Properties?.FunctionName) };
  }
  // SAM: `!Ref Fn.Alias` is the AutoPublishAlias alias, `!Ref Fn.Version` its version.
  const sam = /^(.+)\.(Alias|Version)$/.exec(logicalId);
  if (sam && resources[sam[1]]?.Type === SAM_FUNCTION_TYPE) {
    return { template: t, logicalId, cfnResourceType: sam[2] === 'Alias' ? ALIAS_TYPE : VERSION_TYPE, functionId: sam[1] };
  }
  return undefined;
}

function isSamResource(value: unknown): boolean {
  const type = (value as any)?.Type;
  return type === SAM_FUNCTION_TYPE || type === 'AWS::Serverless::StateMachine';
}

/** A SAM policy template (`{ LambdaInvokePolicy: {...} }`): one key, naming a template, not a policy document. */
function isPolicyTemplate(policy: unknown): boolean {
  return typeof policy === 'object' && policy !== null && !Array.isArray(policy)
    && Object.keys(policy).length === 1 && /Policy$/.test(Object.keys(policy)[0]) && (policy as any).Statement === undefined;
}

/** The CDK construct path of a template resource (`aws:cdk:path` metadata), if it has one. */
export function cdkPathOf(resource: any): string | undefined {
  const p = resource?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? p : undefined;
}

/** How messages and `appliesTo` name a function: its construct path (without `/Resource`), or `Resources.<id>`. */
export function functionPathOf(t: LoadedTemplate, functionId: string): string {
  const cdkPath = cdkPathOf(t.template.Resources?.[functionId]);
  return cdkPath ? cdkPath.replace(/\/Resource$/, '') : `Resources.${functionId}`;
}

/** The function logical ID an alias's or version's `FunctionName` references (`!Ref Fn`, `!GetAtt Fn.Arn`). */
function functionNamed(t: LoadedTemplate, value: any): string | undefined {
  const id = typeof value?.Ref === 'string' ? value.Ref
    : Array.isArray(value?.['Fn::GetAtt']) ? value['Fn::GetAtt'][0]
      : typeof value?.['Fn::GetAtt'] === 'string' ? value['Fn::GetAtt'].split('.')[0] : undefined;
  const type = id ? t.template.Resources?.[id]?.Type : undefined;
  return type === FUNCTION_TYPE || type === SAM_FUNCTION_TYPE ? id : undefined;
}

/**
 * Lists the references to Lambda resources in one resource's template entry, with the literal text on
 * either side, with the construct guard's walker (src/private/intrinsics.ts); beyond it,
 * `Fn::ImportValue`, nested stack parameters and outputs are followed to the resource they stand for.
 */
export class TemplateWalker extends IntrinsicWalker<TemplateTarget, LoadedTemplate> {
  /** The imports, nested stack parameters and outputs being followed (issue #18: no depth limit, loops stop). */
  private readonly following: string[] = [];

  constructor(template: LoadedTemplate, private readonly exports: ExportIndex, private readonly templates: LoadedTemplate[]) {
    super([], template);
  }

  /**
   * A SAM resource's policy templates are judged as the statements SAM writes for them
   * (sam-as-written.ts), not as references of the resource itself.
   */
  public walk(value: unknown, path: string, context?: LoadedTemplate): void {
    const policies = path === '' && isSamResource(value) ? (value as any).Properties?.Policies : undefined;
    if (Array.isArray(policies) && policies.some(isPolicyTemplate)) {
      const Policies = policies.map((p) => (isPolicyTemplate(p) ? {} : p));
      value = { ...(value as any), Properties: { ...(value as any).Properties, Policies } };
    }
    super.walk(value, path, context);
  }

  /** The references in `value`, at paths inside it (a new walker's `walk(value, '')`). */
  public walked(value: unknown): TemplateOccurrence[] {
    this.walk(value, '');
    return this.occurrences;
  }

  protected otherIntrinsic(key: string, args: unknown, path: string, t: LoadedTemplate, depth: number): string {
    if (key === 'Fn::ImportValue') {
      const name = literalName(args, t);
      const exported = name === undefined ? undefined : this.exports.get(name);
      return exported ? this.follow(`export ${name}`, exported.value, path, exported.template, depth) : OPAQUE;
    }
    if (!KNOWN_FUNCTIONS.has(key) && !key.startsWith('Fn::ForEach::')) {
      throw new UnknownIntrinsicError(key, path);
    }
    return OPAQUE;
  }

  /** A `Ref`/`GetAtt` in template `t`: a Lambda resource, a nested stack's parameter or output, or opaque. */
  protected reference(logicalId: string, attribute: string, path: string, t: LoadedTemplate, depth: number): string {
    const target = targetOf(t, logicalId);
    if (target) {
      return this.record(target, attribute);
    }
    // A nested stack's parameter: what the parent passes in.
    if (attribute === 'Ref' && t.parent && t.template.Parameters?.[logicalId] !== undefined) {
      const value = t.parent.template.template.Resources?.[t.parent.logicalId]?.Properties?.Parameters?.[logicalId];
      return value === undefined ? OPAQUE : this.follow(`parameter ${logicalId} of ${t.stackName}`, value, path, t.parent.template, depth);
    }
    // A nested stack's output, read by its parent.
    const output = /^Outputs\.(.+)$/.exec(attribute);
    if (output && t.template.Resources?.[logicalId]?.Type === 'AWS::CloudFormation::Stack') {
      const nested = this.templates.find((n) => n.parent?.template === t && n.parent.logicalId === logicalId);
      const value = nested?.template.Outputs?.[output[1]]?.Value;
      return nested && value !== undefined ? this.follow(`output ${output[1]} of ${nested.stackName}`, value, path, nested, depth) : OPAQUE;
    }
    return OPAQUE;
  }

  /** `value` (what `what` stands for) read in `t`; a value that stands for itself again is an input error naming the loop. */
  private follow(what: string, value: unknown, path: string, t: LoadedTemplate, depth: number): string {
    if (this.following.includes(what)) {
      const loop = [...this.following.slice(this.following.indexOf(what)), what].join(' → ');
      throw new UnreadableValueError(path, (at) => `${at} reads ${what}, which stands for itself (${loop}); CloudFormation cannot deploy a loop`);
    }
    this.following.push(what);
    try {
      return this.flatten(value, path, t, depth + 1);
    } finally {
      this.following.pop();
    }
  }
}
