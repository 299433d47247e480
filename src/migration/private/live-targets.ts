import { CfnResource, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { RebindTarget } from './rebind';
import { SafeFunctionBase } from '../../safe/safe-function-base';

/** How a function came to have the alias its bindings are rewritten to. */
export enum LiveTargetKind {
  /** The migration made it safe now, with a SafeAlias. */
  MADE_SAFE = 'made-safe',
  /** It was safe before (a SafeFunction, a SafeAlias of the user's, or an earlier run). */
  ALREADY_SAFE = 'already-safe',
  /** It has an alias of the migration's name the user made (`fn.addAlias('live')`): bound as it is. */
  ADOPTED = 'adopted',
}

/** A function the migration rebinds, and the alias its bindings move to. */
export interface LiveTarget extends RebindTarget {
  readonly kind: LiveTargetKind;
  /** The function itself. */
  readonly fn: lambda.Function;
  /** The construct path the guard reports the function under (the SafeAlias's, or the function's). */
  readonly functionPath: string;
}

/** The target of a function made safe by `safe` (a SafeAlias, a SafeFunction). */
export function safeTarget(safe: SafeFunctionBase, fn: lambda.Function, kind: LiveTargetKind): LiveTarget {
  return {
    kind,
    fn,
    functionPath: safe.node.path,
    functionResource: fn.node.defaultChild as CfnResource,
    aliasArn: safe.functionArn,
    aliasName: safe.functionName,
    qualifier: safe.aliasName,
    alias: safe.live,
  };
}

/** The target of a function bound through an alias of its own (`fn.addAlias('live')`, a `lambda.Alias` named live). */
export function adoptedTarget(alias: lambda.Alias, fn: lambda.Function): LiveTarget {
  return {
    kind: LiveTargetKind.ADOPTED,
    fn,
    functionPath: fn.node.path,
    functionResource: fn.node.defaultChild as CfnResource,
    aliasArn: alias.functionArn,
    // `lambda.Alias.functionName` is `name:alias`, cut out of the alias ARN as aws-cdk-lib does.
    aliasName: alias.functionName,
    qualifier: alias.aliasName,
    alias,
  };
}

/**
 * The aliases of each function among `constructs` that are named `aliasName` (a name given as a token
 * cannot be compared, and Lambda would refuse two aliases of one name anyway).
 */
export function aliasesNamed(constructs: readonly IConstruct[], aliasName: string): Map<lambda.IFunction, lambda.Alias[]> {
  const found = new Map<lambda.IFunction, lambda.Alias[]>();
  for (const c of constructs) {
    if (c instanceof lambda.Alias && !Token.isUnresolved(c.aliasName) && c.aliasName === aliasName) {
      found.set(c.lambda, [...found.get(c.lambda) ?? [], c]);
    }
  }
  return found;
}

/**
 * Refuses an alias the migration cannot adopt, naming it and the fix: one on `$LATEST` would bind
 * what the migration exists to stop binding.
 */
export function checkAdoptable(alias: lambda.Alias, fn: lambda.Function): void {
  if (alias.version.version === '$LATEST') {
    throw new Error(`MakeFunctionsSafe: ${fn.node.path} has an alias '${alias.aliasName}' (${alias.node.path}) on $LATEST, `
      + 'so binding it would still invoke $LATEST. Fix: point the alias at a published version (`version: fn.currentVersion`), '
      + 'or leave the function alone with `exclude: [fn]`.');
  }
}
