import * as fs from 'fs';
import * as path from 'path';
import { InputError } from './input-error';
import { jsonPositions, SourcePositions } from './source-locations';
import { readYamlTemplate } from './yaml-reader';

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
  /** Where each key of the template is written in `file` (SARIF regions). */
  readonly positions?: SourcePositions;
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
  if (!fs.statSync(p, { throwIfNoEntry: false })?.isDirectory()) {
    return [loadFile(p, path.basename(p), {})];
  }
  if (fs.existsSync(path.join(p, 'manifest.json'))) {
    return loadAssembly(p);
  }
  const serverless = fs.existsSync(path.join(p, '.serverless')) ? path.join(p, '.serverless') : p;
  const files = fs.readdirSync(serverless).filter((f) => /\.(json|ya?ml|template)$/i.test(f)).sort();
  const templates = files
    .map((f) => path.join(serverless, f))
    .filter((f) => fileStat(f).isFile())
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
      if (!fs.existsSync(file)) {
        // issue #18: a stack whose template is missing was not checked: never a silent or internal error.
        throw new InputError(`${file}: no such file, though ${path.join(dir, 'manifest.json')} names it as the template of stack ${id}`);
      }
      // Newer assemblies (aws-cdk-lib 2.27x) keep a stack's construct metadata in a file of its own.
      const metadata: Record<string, any[]> = {
        ...(artifact.additionalMetadataFile ? readJson(path.join(dir, artifact.additionalMetadataFile)) as Record<string, any[]> : {}),
        ...artifact.metadata,
      };
      const stackName = artifact.properties?.stackName ?? artifact.displayName ?? id;
      const top = loadFile(file, stackName, metadata, true);
      result.push(top, ...nestedStacks(dir, top, metadata));
    } else if (artifact.type === 'cdk:cloud-assembly') {
      result.push(...loadAssembly(path.join(dir, artifact.properties?.directoryName ?? id)));
    }
  }
  return result;
}

/**
 * Logical ID → construct path, from the manifest's `aws:cdk:logicalId` entries, for templates synthesized
 * without `aws:cdk:path` metadata. A logical ID seen twice (a nested stack's resource) names nothing for sure.
 */
function constructPaths(metadata: Record<string, any[]>): Map<string, string> {
  const result = new Map<string, string>();
  const seen = new Set<string>();
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of entries) {
      if (entry?.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        // A logical ID seen twice (a nested stack's resource) names nothing for sure.
        if (seen.has(entry.data)) {
          result.delete(entry.data);
        } else {
          result.set(entry.data, constructPath.replace(/^\//, ''));
        }
        seen.add(entry.data);
      }
    }
  }
  return result;
}

function nestedStacks(dir: string, parent: LoadedTemplate, metadata: Record<string, any[]>): LoadedTemplate[] {
  const result: LoadedTemplate[] = [];
  for (const [logicalId, resource] of Object.entries<any>(parent.template.Resources ?? {})) {
    const asset = resource?.Type === 'AWS::CloudFormation::Stack' ? nestedTemplateFile(dir, resource) : undefined;
    if (typeof asset === 'string') {
      if (!fs.existsSync(path.join(dir, asset))) {
        throw new InputError(`${path.join(dir, asset)}: no such file, though it is the template of nested stack ${parent.stackName}/${logicalId}`);
      }
      const nested = { ...loadFile(path.join(dir, asset), `${parent.stackName}/${logicalId}`, metadata, true), parent: { template: parent, logicalId } };
      result.push(nested, ...nestedStacks(dir, nested, metadata));
    }
  }
  return result;
}

/**
 * The file of a nested stack's template: `aws:asset:path` metadata (the CDK CLI asks for it), else the
 * file asset whose object key its `TemplateURL` names, from the assembly's asset manifests.
 */
function nestedTemplateFile(dir: string, resource: any): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') {
    return assetPath;
  }
  const url = JSON.stringify(resource.Properties?.TemplateURL ?? '');
  for (const [objectKey, source] of assetObjectKeys(dir)) {
    if (url.includes(objectKey)) {
      return source;
    }
  }
  return undefined;
}

const ASSET_KEYS = new Map<string, Array<[string, string]>>();

/** Object key → source path of every file asset of the assembly in `dir`. */
function assetObjectKeys(dir: string): Array<[string, string]> {
  let keys = ASSET_KEYS.get(dir);
  if (!keys) {
    keys = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.assets.json'))) {
      const manifest = readJson(path.join(dir, file)) as any;
      for (const asset of Object.values<any>(manifest.files ?? {})) {
        for (const destination of Object.values<any>(asset.destinations ?? {})) {
          if (typeof destination.objectKey === 'string' && typeof asset.source?.path === 'string') {
            keys.push([destination.objectKey, asset.source.path]);
          }
        }
      }
    }
    ASSET_KEYS.set(dir, keys);
  }
  return keys;
}

/**
 * @param inAssembly a stack of a cloud assembly may have no resources (an integ-tests assertion stack,
 *   a stack of outputs only); a template given on its own must have some
 */
function loadFile(file: string, stackName: string, metadata: Record<string, any[]>, inAssembly = false): LoadedTemplate {
  const { template, positions } = readTemplate(file);
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw new InputError(`${file}: not a CloudFormation template (expected an object with Resources)`);
  }
  if (inAssembly && (template as any).Resources === undefined) {
    (template as any).Resources = {};
  }
  const resources = (template as any).Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources) || (!inAssembly && Object.keys(resources).length === 0)) {
    throw new InputError(`${file}: the template has no Resources`);
  }
  // Resources a Fn::ForEach loop (the AWS::LanguageExtensions transform) would generate are not
  // expanded here: checking the template without them would miss their bindings silently.
  const loop = Object.keys(resources).find((key) => key.startsWith('Fn::ForEach::'));
  if (loop !== undefined) {
    throw new InputError(`${file}: Resources.${loop} is a Fn::ForEach loop (AWS::LanguageExtensions), which this command does not expand, `
      + 'so the resources it generates could not be checked. Check the processed template instead '
      + '(aws cloudformation get-template --template-stage Processed, or the change set\'s template)');
  }
  const paths = constructPaths(metadata);
  for (const [logicalId, resource] of Object.entries<any>(resources)) {
    const constructPath = paths.get(logicalId);
    if (constructPath && typeof resource === 'object' && resource !== null && resource.Metadata?.['aws:cdk:path'] === undefined) {
      resource.Metadata = { ...resource.Metadata, 'aws:cdk:path': constructPath };
    }
  }
  return { file, stackName, template, constructMetadata: metadata, positions };
}

function readTemplate(file: string): { file: string; template: any; positions: SourcePositions } {
  const stat = fileStat(file);
  if (stat.isDirectory()) {
    throw new InputError(`${file}: is a directory, not a file`);
  }
  const size = stat.size;
  if (size > MAX_BYTES) {
    throw new InputError(`${file}: ${size} bytes is more than the ${MAX_BYTES} this command reads`);
  }
  // issue #18: a byte-order mark is read as the other tools read it (ignored).
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || /\.json$/i.test(file)) {
    const template = readJsonText(text, file);
    return { file, template, positions: jsonPositions(text, file) };
  }
  const { template, positions } = readYamlTemplate(text, file);
  return { file, template, positions };
}

/** `fs.statSync`, with a missing file or a symbolic link loop an input error naming the path. */
function fileStat(file: string): fs.Stats {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    const link = fs.lstatSync(file, { throwIfNoEntry: false });
    throw new InputError(`${file}: ${link?.isSymbolicLink() ? 'a symbolic link to nothing' : 'no such file or directory'}`);
  }
  return stat;
}

function readJson(file: string): unknown {
  return readJsonText(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), file);
}

function readJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: invalid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}
