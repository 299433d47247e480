import { IResolvable, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { isReference, tokensOf } from '../../private/bindings/core';

/** Produces what an opaque token (a `Lazy` value, a policy document) renders to. */
export type OpenToken = (token: IResolvable) => unknown;

const PolicyDocumentClass = iam.PolicyDocument;

/**
 * Opens an opaque token as cheaply as its kind allows, `resolve` otherwise: a cached `Lazy` already
 * produced its value when synthesis first rendered the resource (it keeps it in `_cached`), and a
 * policy document lists its statements with `toJSON()`. Both values still hold tokens, which
 * `namesLogicalId` reads as it reads properties. Resolving every such token cost the guard about
 * 0.6 ms per function (bench/guard.ts --profile).
 */
export function openCheaply(token: IResolvable, resolve: OpenToken): unknown {
  const lazy = token as { cache?: unknown; _cached?: unknown; producer?: unknown };
  if (lazy.cache === true && lazy._cached !== undefined && typeof lazy.producer === 'object') {
    return lazy._cached;
  }
  if (token instanceof PolicyDocumentClass) {
    return token.toJSON();
  }
  return resolve(token);
}

/**
 * Whether the properties of a resource, as written (before resolution), hold an intrinsic that names
 * one of `logicalIds`: `Fn.getAtt('Fn9270CBC0', 'Arn')`, `Fn.sub('${Fn9270CBC0.Arn}')`, `{ Ref: ... }`.
 *
 * Such values are not references (no token stands for the function), so synthesis never tells the
 * guard that the resource uses the function; reading the unresolved properties finds them without
 * rendering every resource. Tokens that keep what they stand for to themselves (`Lazy` values,
 * policy documents) are opened with `open`, so that what they produce is read as synthesis renders it:
 * otherwise synthesis and `findings()`, which renders every resource, would disagree (issue #9).
 */
export function namesLogicalId(properties: unknown, logicalIds: ReadonlySet<string>, open: OpenToken, depth = 0): boolean {
  if (depth > 20 || logicalIds.size === 0) {
    return false;
  }
  if (typeof properties === 'number') {
    // A number token (`Lazy.number`, `Token.asNumber(...)`) can only produce a number or an intrinsic.
    const token = Token.isUnresolved(properties) ? Tokenization.reverseNumber(properties) : undefined;
    return token !== undefined && intrinsicNames(token, logicalIds, open, depth);
  }
  if (typeof properties === 'string') {
    if (properties.startsWith('#{Token[')) {
      // One element of an encoded list (`Lazy.list`, `Token.asList`).
      const token = Tokenization.reverseList([properties]);
      return token !== undefined && intrinsicNames(token, logicalIds, open, depth);
    }
    // A raw intrinsic written as a plain object (`{ 'Fn::GetAtt': ['Fn9270CBC0', 'Arn'] }` in a CfnResource
    // or an inline OpenAPI body) or a `Fn::Sub` template holds the logical ID as text.
    // Checked without scanning every string for every ID: a `Ref` or `Fn::GetAtt` argument is the ID
    // itself (`Id` or `Id.Arn`), and only a `${...}` template can hold one inside longer text.
    return logicalIds.has(properties) || logicalIds.has(properties.split('.')[0])
      || (properties.includes('${') && hasTemplateVariable(properties) && mentionsAny(properties, logicalIds))
      || (properties.includes('${Token[') && tokensOf(properties).some((t) => intrinsicNames(t, logicalIds, open, depth)));
  }
  if (Array.isArray(properties)) {
    return properties.some((item) => namesLogicalId(item, logicalIds, open, depth + 1));
  }
  if (typeof properties === 'object' && properties !== null) {
    if (typeof (properties as IResolvable).resolve === 'function') {
      return intrinsicNames(properties as IResolvable, logicalIds, open, depth);
    }
    return Object.values(properties).some((item) => namesLogicalId(item, logicalIds, open, depth + 1));
  }
  return false;
}

function intrinsicNames(token: IResolvable, logicalIds: ReadonlySet<string>, open: OpenToken, depth: number): boolean {
  if (isReference(token)) {
    return false;
  }
  // An Intrinsic (Fn.getAtt, Fn.sub, Fn.select...) keeps its CloudFormation form in a private `value`,
  // Fn.join its parts in `listOfValues`; any other token is opened.
  const value = (token as any).value ?? (token as any).listOfValues;
  if (value === undefined) {
    return namesLogicalId(open(token), logicalIds, open, depth + 1);
  }
  if (typeof value === 'object' && value !== null && mentionsAny(JSON.stringify(value), logicalIds)) {
    return true;
  }
  return namesLogicalId(value, logicalIds, open, depth + 1);
}

/** Whether `text` holds one of `logicalIds` (resolved IDs, or the token strings that stand for them). */
function mentionsAny(text: string, logicalIds: ReadonlySet<string>): boolean {
  for (const id of logicalIds) {
    if (text.includes(id)) {
      return true;
    }
  }
  return false;
}

/** Whether `text` holds a `${...}` other than a token marker (`${Token[...]}`). */
function hasTemplateVariable(text: string): boolean {
  return text.replace(/\$\{Token\[[^\]]*\]\}/g, '').includes('${');
}
