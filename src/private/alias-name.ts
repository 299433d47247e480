import { Token } from 'aws-cdk-lib';

/**
 * Lambda's own rule for alias names: 1-128 letters, digits, `-` or `_`, and not only digits
 * (an all-digit name would be read as a version number).
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html#lambda-CreateAlias-request-Name
 */
const ALIAS_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

/**
 * Returns why `name` is not a valid alias name, or undefined when it is valid or not yet known.
 * Unresolved tokens pass: their value is only known at deploy time.
 */
export function aliasNameProblem(name: string): string | undefined {
  if (Token.isUnresolved(name)) {
    return undefined;
  }
  if (name === '$LATEST') {
    return '`$LATEST` is the unqualified function itself, not an alias';
  }
  if (name.length === 0 || name.length > 128) {
    return `it is ${name.length} characters long; Lambda allows 1 to 128`;
  }
  if (!ALIAS_NAME.test(name)) {
    return 'it may only contain letters, digits, `-` and `_`';
  }
  if (/^[0-9]+$/.test(name)) {
    return 'it is all digits, which Lambda reads as a version number';
  }
  return undefined;
}
