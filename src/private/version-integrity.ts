import { Annotations, CfnParameter, FeatureFlags, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { isWarningAcknowledged } from './acknowledgements';
import { elementsByLogicalId } from './logical-ids';
import { resolveRecordingReferences } from './references';
import { VersionIntegrityWarnings } from '../version-integrity-warnings';

/**
 * Warns when `$LATEST` could change without a new version being published: the live alias would
 * then keep serving the old code or settings while the function itself has moved on.
 *
 * Runs at synth time, after every `addEnvironment`/`addLayers` call has been made.
 *
 * @param code the function's code, when known; a function built elsewhere (made safe by SafeAlias,
 *   or by NodejsFunction's bundling) counts as asset code when its key is an asset hash.
 */
export function checkVersionIntegrity(owner: IConstruct, fn: lambda.Function, code: lambda.Code | undefined): void {
  const path = owner.node.path;
  const warn = (id: string, message: string) => {
    if (!isWarningAcknowledged(owner, id)) {
      Annotations.of(owner).addWarningV2(id, message);
    }
  };

  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  // Render the resource as synthesis would (PascalCase keys, lazy values produced), with every
  // CfnParameter reference left as a recognizable sentinel. `_toCloudFormation` is internal: newer
  // aws-cdk-lib typings (2.232) strip it, though every version has it.
  const { resolved, references } = resolveRecordingReferences(cfn, (cfn as any)._toCloudFormation(), (r) => r.target instanceof CfnParameter,
    // Keep `table-${Fn.importValue(...)}` an Fn::Join holding the import, not the text `[object Object]`.
    { keepJoins: true });
  const properties = (Object.values(resolved.Resources ?? {})[0] as any)?.Properties ?? {};

  // Only a function with layers can keep old ones (issue #16 §6: it fired on 21 of 22 apps where no function had one).
  const hasLayers = Array.isArray(properties.Layers) ? properties.Layers.length > 0 : properties.Layers !== undefined;
  if (hasLayers && !FeatureFlags.of(owner).isEnabled(cxapi.LAMBDA_RECOGNIZE_LAYER_VERSION)) {
    warn(VersionIntegrityWarnings.LAYER_VERSION_NOT_RECOGNIZED,
      `${path}: the feature flag '${cxapi.LAMBDA_RECOGNIZE_LAYER_VERSION}' is off, so changing a layer does not publish a new version `
      + 'and the live alias keeps the old layers (an x86 extension can meet arm64 code). '
      + `Fix: set "${cxapi.LAMBDA_RECOGNIZE_LAYER_VERSION}": true in cdk.json context (new apps have it).`);
  }
  const deployTime: string[] = [];
  for (const section of ['Code', 'Environment', 'Layers']) {
    const value = properties[section];
    for (const ref of references) {
      for (const where of pathsContaining(value, ref.sentinel, section)) {
        deployTime.push(`${where} is the CfnParameter ${ref.target.node.path}`);
      }
    }
    // A parameter reference encoded as a number or a list renders as `{ Ref }` (see resolveRecordingReferences).
    for (const where of pathsMatching(value, section, (v) => parameterRefOf(cfn, v) !== undefined)) {
      deployTime.push(`${where} is the CfnParameter ${parameterRefOf(cfn, valueAtPath(properties, where))?.node.path ?? 'it references'}`);
    }
    for (const where of pathsMatching(value, section, isImportValue)) {
      deployTime.push(`${where} is an Fn::ImportValue`);
    }
    for (const where of pathsMatching(value, section, (v) => typeof v === 'string' && v.includes('{{resolve:'))) {
      deployTime.push(`${where} is a dynamic reference ({{resolve:...}})`);
    }
  }
  if (deployTime.length > 0) {
    warn(VersionIntegrityWarnings.DEPLOY_TIME_VALUE,
      `${path}: ${deployTime.join('; ')}. A value known only at deploy time does not change the version hash, `
      + 'so when it changes $LATEST moves and the live alias keeps the old value. '
      + 'Fix: pass the value at synth time (context, a lookup, an asset), or call '
      + '`function.invalidateVersionBasedOn(<the value\'s own version>)` whenever it changes.');
  }

  const resolvedCode = properties.Code ?? {};
  const isAsset = code === undefined
    ? typeof resolvedCode.S3Key === 'string' && ASSET_KEY.test(resolvedCode.S3Key)
    : code instanceof lambda.AssetCode || code instanceof lambda.AssetImageCode;
  if (resolvedCode.S3Bucket !== undefined && resolvedCode.S3ObjectVersion === undefined && !isAsset
    && !deployTime.some((d) => d.startsWith('Code'))) {
    warn(VersionIntegrityWarnings.UNVERSIONED_CODE,
      `${path}: the code is an S3 object without an object version, so uploading new code under the same key publishes no new version `
      + 'and the live alias keeps the old code. Fix: use Code.fromAsset, or pass `objectVersion` to Code.fromBucket.');
  }
}

/** How aws-cdk-lib names a file asset in the assets bucket: its SHA-256 hash, with the packaging's extension. */
const ASSET_KEY = /^[0-9a-f]{64}(\.[a-z]+)?$/;

const PARAMETERS = new WeakMap<Stack, Map<string, CfnParameter>>();

/** The CfnParameter of the function's stack that a rendered `{ Ref: id }` names, if any. */
function parameterRefOf(scope: IConstruct, value: unknown): CfnParameter | undefined {
  const ref = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as any).Ref : undefined;
  if (typeof ref !== 'string') {
    return undefined;
  }
  const stack = Stack.of(scope);
  let parameters = PARAMETERS.get(stack);
  if (!parameters) {
    parameters = elementsByLogicalId(stack, (c): c is CfnParameter => c instanceof CfnParameter);
    PARAMETERS.set(stack, parameters);
  }
  return parameters.get(ref);
}

/** The value at a path of `pathsMatching` (`Layers[0]`), from the rendered properties. */
function valueAtPath(properties: any, path: string): unknown {
  return path.replace(/\[(\d+)\]/g, '.$1').split('.').reduce((v, key) => (v === undefined || v === null ? undefined : v[key]), properties);
}

function isImportValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'Fn::ImportValue' in value;
}

/** Property paths (`Environment.Variables.TABLE`) under which a string contains `needle`. */
function pathsContaining(value: unknown, needle: string, at: string): string[] {
  return pathsMatching(value, at, (v) => typeof v === 'string' && v.includes(needle));
}

function pathsMatching(value: unknown, at: string, test: (v: unknown) => boolean): string[] {
  if (test(value)) {
    return [at];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => pathsMatching(item, `${at}[${i}]`, test));
  }
  if (typeof value === 'object' && value !== null) {
    // Intrinsics (Fn::Join...) are part of the value, not of its property path: no `[i]` for their arguments.
    return Object.entries(value).flatMap(([key, item]) => key.startsWith('Fn::') || key === 'Ref'
      ? (pathsMatching(item, at, test).length > 0 ? [at] : [])
      : pathsMatching(item, `${at}.${key}`, test));
  }
  return [];
}
