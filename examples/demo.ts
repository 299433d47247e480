/**
 * `npm run demo`: synthesizes the order service and prints, for every place a function is bound,
 * which form of it the template binds: the alias, a version, or the unqualified function ($LATEST).
 */
import { buildOrderService } from './service';

type Template = { Resources: Record<string, { Type: string; Properties?: unknown }> };

const FUNCTION_TYPES: Record<string, string> = {
  'AWS::Lambda::Alias': 'alias',
  'AWS::Lambda::Version': 'version',
  'AWS::Lambda::Function': '$LATEST (unqualified)',
};
// A function's own plumbing: these reference the unqualified function by design and invoke nothing.
const NOT_BINDINGS = new Set(['AWS::Lambda::Version', 'AWS::Lambda::Alias', 'AWS::Lambda::EventInvokeConfig', 'AWS::Logs::LogGroup']);

const assembly = buildOrderService().synth();
let unqualified = 0;
for (const stack of assembly.stacks) {
  const template = stack.template as Template;
  const kindOf = (logicalId: string) => FUNCTION_TYPES[template.Resources[logicalId]?.Type];
  const aliasProps = (logicalId: string) => template.Resources[logicalId]?.Properties as { Name?: string; FunctionName?: { Ref?: string } };
  const aliasName = (logicalId: string) => aliasProps(logicalId)?.Name;
  const functionOf = (logicalId: string) => aliasProps(logicalId)?.FunctionName?.Ref;
  console.log(`Stack ${stack.stackName}: every place a Lambda function is bound, and the form it binds\n`);
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (NOT_BINDINGS.has(resource.Type)) continue;
    for (const { path, target } of references(resource.Properties, 'Properties')) {
      const kind = kindOf(target);
      if (!kind) continue;
      if (kind.startsWith('$LATEST')) unqualified++;
      const form = kind === 'alias' ? `function:${functionOf(target)}:${aliasName(target)}  (alias)` : `${target}  (${kind})`;
      console.log(`${resource.Type.padEnd(34)} ${logicalId}`);
      console.log(`  ${path.padEnd(32)} -> ${form}`);
    }
  }
}
console.log(`\n${unqualified === 0 ? 'No binding invokes $LATEST.' : `${unqualified} binding(s) invoke $LATEST.`}`);
process.exitCode = unqualified === 0 ? 0 : 1;

/** Every Ref / Fn::GetAtt inside `value`, with the property path it sits under (intrinsics add nothing to the path). */
function references(value: unknown, path: string, inIntrinsic = false): Array<{ path: string; target: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => references(v, inIntrinsic ? path : `${path}[${i}]`, inIntrinsic));
  if (typeof value !== 'object' || value === null) return [];
  const obj = value as Record<string, unknown>;
  if (typeof obj.Ref === 'string') return [{ path, target: obj.Ref }];
  if (Array.isArray(obj['Fn::GetAtt'])) return [{ path, target: String(obj['Fn::GetAtt'][0]) }];
  return Object.entries(obj).flatMap(([k, v]) => k.startsWith('Fn::') ? references(v, path, true) : references(v, `${path}.${k}`, inIntrinsic));
}
