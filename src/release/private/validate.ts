import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
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

/** Longest description Lambda accepts on a function or an alias. */
export const MAX_DESCRIPTION_LENGTH = 256;

/**
 * Fails when a literal description is longer than Lambda accepts (it would only fail at deploy time).
 */
export function checkDescription(scope: IConstruct, prop: string, description: string | undefined): void {
  if (description !== undefined && !Token.isUnresolved(description) && description.length > MAX_DESCRIPTION_LENGTH) {
    fail(scope, `${prop} is ${description.length} characters long, over Lambda's ${MAX_DESCRIPTION_LENGTH}: '${description.slice(0, 40)}...'`,
      `Shorten it to at most ${MAX_DESCRIPTION_LENGTH} characters.`);
  }
}

/**
 * `text` cut to `max` characters for a generated description: the construct path in it can be of
 * any length, and the end of a path is what tells two constructs apart, so the middle is dropped.
 */
export function fitDescription(text: string, max: number = MAX_DESCRIPTION_LENGTH): string {
  if (text.length <= max) {
    return text;
  }
  const marker = '...';
  const head = Math.floor((max - marker.length) / 2);
  return text.slice(0, head) + marker + text.slice(text.length - (max - marker.length - head));
}

/**
 * The whole number of `unit`s in `duration`, which is what the CloudFormation property holds; a
 * token stays a token. Fails when the duration is not a whole number of `unit`s, is outside
 * `[min, max]`, or is a token in another unit (CloudFormation cannot convert it).
 */
export function wholeDuration(scope: IConstruct, prop: string, duration: Duration, unit: 'seconds' | 'minutes',
  min: number, max: number, fix: string): number {
  if (duration.isUnresolved()) {
    try {
      return unit === 'seconds' ? duration.toSeconds() : duration.toMinutes();
    } catch {
      fail(scope, `${prop} is a deploy-time value that is not given in ${unit}, got ${duration.toString()}`,
        `Build it with Duration.${unit}(value): CloudFormation cannot convert a deploy-time value from another unit.`);
    }
  }
  const ms = duration.toMilliseconds();
  const factor = unit === 'seconds' ? 1_000 : 60_000;
  const amount = ms / factor;
  if (!Number.isInteger(amount) || amount < min || amount > max) {
    fail(scope, `${prop} must be a whole number of ${unit} from ${min} to ${max}, got ${duration.toHumanString()}`, fix);
  }
  return amount;
}

/**
 * Fails on `RemovalPolicy.SNAPSHOT` for a function's versions: CloudFormation refuses a Snapshot
 * deletion policy on `AWS::Lambda::Version`, and only at deploy time.
 *
 * Call it where `versionRemovalPolicy` and `currentVersionOptions.removalPolicy` are first read.
 */
export function checkVersionRemovalPolicy(scope: IConstruct, prop: string, policy: RemovalPolicy | undefined): void {
  if (policy === RemovalPolicy.SNAPSHOT) {
    fail(scope, `${prop} is RemovalPolicy.SNAPSHOT, which CloudFormation refuses on AWS::Lambda::Version (versions have no snapshot)`,
      'Use RemovalPolicy.RETAIN to keep replaced versions, or RemovalPolicy.DESTROY (the default) to delete them.');
  }
}

/**
 * Fails when `versionRemovalPolicy` and `currentVersionOptions.removalPolicy` are both set and differ:
 * one of them would be silently ignored.
 *
 * Call it where both are first read (the safe options check).
 */
export function checkRemovalPoliciesAgree(scope: IConstruct, versionRemovalPolicy: RemovalPolicy | undefined,
  currentVersionRemovalPolicy: RemovalPolicy | undefined): void {
  if (versionRemovalPolicy !== undefined && currentVersionRemovalPolicy !== undefined && versionRemovalPolicy !== currentVersionRemovalPolicy) {
    fail(scope, `versionRemovalPolicy (${versionRemovalPolicy}) and currentVersionOptions.removalPolicy (${currentVersionRemovalPolicy}) disagree`,
      'Set versionRemovalPolicy only: it applies to every version.');
  }
}

/**
 * Application Auto Scaling's rule for `ScheduledActionName`: 1 to 256 characters, no `:`, `/` or
 * `|`, no control characters, no leading or trailing space.
 */
export function checkScheduleName(scope: IConstruct, prop: string, name: string): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  // eslint-disable-next-line no-control-regex
  if (name.length < 1 || name.length > 256 || /[\u0000-\u001f\u007f-\u009f:/|]/.test(name) || /^ | $/.test(name)) {
    fail(scope, `${prop} '${name}' is not a name Application Auto Scaling accepts`,
      'Use 1 to 256 characters without `:`, `/`, `|`, control characters or leading/trailing spaces, for example \'morning-up\'.');
  }
}
