import { aliasTargetsLatest } from './latest-alias';
import { ALIAS_TYPE, FUNCTION_TYPE, Occurrence, VERSION_TYPE } from './occurrences';

/**
 * What a reference invokes: nothing but `$LATEST` (`NONE`, `LATEST`), any version (`WILDCARD`, the IAM
 * `:*`), a numbered version (`VERSION`), an alias (`ALIAS`), or a qualifier known only at deploy time
 * (`UNKNOWN`, qualified all the same).
 */
export enum Qualifier {
  NONE = 'none',
  LATEST = 'latest',
  WILDCARD = 'wildcard',
  VERSION = 'version',
  ALIAS = 'alias',
  UNKNOWN = 'unknown',
}

/** The qualifier of an occurrence, from its target and the text right after it. */
export function qualifierOf(occurrence: Occurrence): Qualifier {
  const type = occurrence.target.cfnResourceType;
  if (occurrence.attribute !== 'Name') {
    if (type === ALIAS_TYPE) {
      return aliasTargetsLatest(occurrence.target) ? Qualifier.LATEST : Qualifier.ALIAS;
    }
    if (type === VERSION_TYPE) {
      return Qualifier.VERSION;
    }
  }
  const after = qualifierAfter(occurrence.after);
  // `name:alias` rebuilt from an alias ARN (`lambda.Alias.functionName`): still the alias, on `$LATEST` or not.
  return after === Qualifier.ALIAS && type === ALIAS_TYPE && aliasTargetsLatest(occurrence.target) ? Qualifier.LATEST : after;
}

/** `:live` → ALIAS, `:7` → VERSION, `:$LATEST` → LATEST, `:*` → WILDCARD, `/invocations` or nothing → NONE. */
export function qualifierAfter(after: string): Qualifier {
  if (!after.startsWith(':')) {
    return Qualifier.NONE;
  }
  if (after.startsWith(':$LATEST.PUBLISHED')) {
    // Managed Instances: the newest *published* version, a snapshot of code and configuration.
    return Qualifier.VERSION;
  }
  const literal = /^[A-Za-z0-9_$*-]+/.exec(after.slice(1))?.[0];
  return literal === undefined ? Qualifier.UNKNOWN : qualifierNamed(literal);
}

/** The qualifier a separate `Qualifier` property gives (a literal, or an intrinsic known at deploy time). */
export function qualifierValue(value: unknown): Qualifier {
  if (value === undefined || value === null || value === '') {
    return Qualifier.NONE;
  }
  if (typeof value !== 'string' || value.includes('@@')) {
    return Qualifier.UNKNOWN;
  }
  return qualifierNamed(value);
}

function qualifierNamed(literal: string): Qualifier {
  if (literal === '$LATEST.PUBLISHED') {
    return Qualifier.VERSION;
  }
  if (literal === '$LATEST') {
    return Qualifier.LATEST;
  }
  if (literal === '*') {
    return Qualifier.WILDCARD;
  }
  return /^\d+$/.test(literal) ? Qualifier.VERSION : Qualifier.ALIAS;
}

/** Whether the occurrence reaches `$LATEST`: an unqualified function ARN or name, or `:$LATEST`. */
export function reachesLatest(qualifier: Qualifier): boolean {
  return qualifier === Qualifier.NONE || qualifier === Qualifier.LATEST;
}

/** Whether the occurrence names the function itself (its ARN, its name), not another attribute. */
export function isFunctionIdentity(occurrence: Occurrence): boolean {
  if (occurrence.attribute === 'Name') {
    return true;
  }
  return occurrence.target.cfnResourceType === FUNCTION_TYPE ? occurrence.attribute === 'Arn' || occurrence.attribute === 'Ref' : occurrence.attribute === 'Ref';
}

/** How to name what the occurrence points at, for messages. */
export function describeReference(occurrence: Occurrence, qualifier: Qualifier): string {
  if (qualifier === Qualifier.LATEST && occurrence.target.cfnResourceType === ALIAS_TYPE) {
    return 'an alias whose FunctionVersion is `$LATEST`';
  }
  if (qualifier === Qualifier.LATEST) {
    return 'the `:$LATEST` qualified ARN';
  }
  if (occurrence.attribute === 'Name' && occurrence.target.cfnResourceType !== FUNCTION_TYPE) {
    return 'the unqualified function name cut out of an alias or version ARN (`Function.fromFunctionArn(arn).functionName` drops the qualifier)';
  }
  return occurrence.attribute === 'Arn' ? 'the unqualified ARN' : 'the unqualified name';
}
