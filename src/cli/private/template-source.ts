import * as fs from 'fs';
import * as path from 'path';
import { InputError } from './input-error';
import { parseYamlTemplate } from './yaml-reader';

/** One CloudFormation template to check, and where it came from. */
export interface LoadedTemplate {
  /** The file, as given or found (for messages). */
  readonly file: string;
  /** The stack it deploys: a cloud assembly's stack name, a nested stack's parent path, or the file name. */
  readonly stackName: string;
  readonly template: any;
  /** Construct-tree metadata of the stack from a cloud assembly's manifest (`/Stack/Construct` → entries). */
  readonly constructMetadata: Record<string, Array<{ type: string; data?: unknown }>>;
  /** The parent template and the logical ID of the `AWS::CloudFormation::Stack` that deploys this nested stack. */
  readonly parent?: { readonly template: LoadedTemplate; readonly logicalId: string };
}

const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Every template behind `paths`: a cloud assembly directory (every stack, nested stack and Stage), a
 * Serverless `.serverless` directory or project, or a JSON/YAML template file.
 */
export function loadTemplates(paths: string[]): LoadedTemplate[] {
  const result: LoadedTemplate[] = [];
  for (const p of paths) {
    result.push(...loadPath(p));
  }
  return result;
}

function loadPath(p: string): LoadedTemplate[] {
  if (!fs.existsSync(p)) {
    throw new InputError(`${p}: no such file or directory`);
  }
  if (!fs.statSync(p).isDirectory()) {
    return [loadFile(p, path.basename(p), {})];
  }
  if (fs.existsSync(path.join(p, 'manifest.json'))) {
    return loadAssembly(p);
  }
  const serverless = fs.existsSync(path.join(p, '.serverless')) ? path.join(p, '.serverless') : p;
  const files = fs.readdirSync(serverless).filter((f) => /\.(json|ya?ml|template)$/i.test(f)).sort();
  const templates = files
    .map((f) => path.join(serverless, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((f) => readTemplate(f))
    .filter((t) => t.template && typeof t.template === 'object' && t.template.Resources);
  if (templates.length === 0) {
    throw new InputError(`${p}: no manifest.json (cloud assembly) and no template with Resources in this directory`);
  }
  return templates.map((t) => ({ file: t.file, stackName: path.basename(t.file), template: t.template, constructMetadata: {} }));
}

/** A cloud assembly: its stacks, nested stacks (their templates are assets) and nested assemblies (Stages). */
function loadAssembly(dir: string): LoadedTemplate[] {
  const manifest = readJson(path.join(dir, 'manifest.json')) as any;
  const result: LoadedTemplate[] = [];
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const file = path.join(dir, artifact.properties?.templateFile ?? `${id}.template.json`);
      const metadata: Record<string, any[]> = artifact.metadata ?? {};
      const stackName = artifact.properties?.stackName ?? artifact.displayName ?? id;
      const top = loadFile(file, stackName, metadata);
      result.push(top, ...nestedStacks(dir, top, metadata));
    } else if (artifact.type === 'cdk:cloud-assembly') {
      result.push(...loadAssembly(path.join(dir, artifact.properties?.directoryName ?? id)));
    }
  }
  return result;
}

function nestedStacks(dir: string, parent: LoadedTemplate, metadata: Record<string, any[]>): LoadedTemplate[] {
  const result: LoadedTemplate[] = [];
  for (const [logicalId, resource] of Object.entries<any>(parent.template.Resources ?? {})) {
    const asset = resource?.Type === 'AWS::CloudFormation::Stack' ? resource.Metadata?.['aws:asset:path'] : undefined;
    if (typeof asset === 'string' && fs.existsSync(path.join(dir, asset))) {
      const nested = { ...loadFile(path.join(dir, asset), `${parent.stackName}/${logicalId}`, metadata), parent: { template: parent, logicalId } };
      result.push(nested, ...nestedStacks(dir, nested, metadata));
    }
  }
  return result;
}

function loadFile(file: string, stackName: string, metadata: Record<string, any[]>): LoadedTemplate {
  const { template } = readTemplate(file);
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw new InputError(`${file}: not a CloudFormation template (expected an object with Resources)`);
  }
  const resources = (template as any).Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources) || Object.keys(resources).length === 0) {
    throw new InputError(`${file}: the template has no Resources`);
  }
  return { file, stackName, template, constructMetadata: metadata };
}

function readTemplate(file: string): { file: string; template: any } {
  const size = fs.statSync(file).size;
  if (size > MAX_BYTES) {
    throw new InputError(`${file}: ${size} bytes is more than the ${MAX_BYTES} this command reads`);
  }
  const text = fs.readFileSync(file, 'utf8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || /\.json$/i.test(file)) {
    return { file, template: readJsonText(text, file) };
  }
  try {
    return { file, template: parseYamlTemplate(text, file) };
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

function readJson(file: string): unknown {
  return readJsonText(fs.readFileSync(file, 'utf8'), file);
}

function readJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: invalid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}
