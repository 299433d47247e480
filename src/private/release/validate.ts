import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Throws the library's construct-time error: `<path>: <what is wrong, with the value seen>. <fix>`.
 */
export function fail(scope: IConstruct, problem: string, fix: string): never {
  throw new Error(`${scope.node.path}: ${problem}. ${fix}`);
}

/**
 * Whether `value` is a known whole number within `[min, max]`; unresolved tokens count as valid,
 * their value is only known at deploy time.
 */
export function isWholeNumberIn(value: number, min: number, max: number = Number.MAX_SAFE_INTEGER): boolean {
  return Token.isUnresolved(value) || (Number.isInteger(value) && value >= min && value <= max);
}

/**
 * Fails unless `version` is a published version number such as '7' (not `$LATEST`, not an alias).
 */
export function checkVersionNumber(scope: IConstruct, prop: string, version: string): void {
  if (!Token.isUnresolved(version) && !/^[1-9][0-9]*$/.test(version)) {
    fail(scope, `${prop} must be a published version number such as '7', got '${version}'`,
      'Use the number Lambda gave the version (`aws lambda list-versions-by-function`); `$LATEST` and alias names are not versions.');
  }
}
