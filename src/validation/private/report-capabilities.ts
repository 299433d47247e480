import * as cxapi from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';

/** `cxapi.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT` (2.278), by its value to compile against the floor. */
const FAIL_SYNTH_ON_VALIDATION_ERRORS = '@aws-cdk/core:failSynthOnValidationErrors';

/**
 * Whether the validation report of the aws-cdk-lib in use is a channel the guard can hand its findings
 * to without a user losing any (issue #17 §5):
 *
 * - 2.232 (the floor, `policyValidationBeta1`): the report lists only FAILED plugins (a warning or a
 *   suppressed finding appears nowhere) and a failure only sets `process.exitCode` (`app.synth()` returns).
 * - 2.251–2.277 (`Validations`, measured on 2.255): a passing plugin is listed, but a failure still only
 *   sets the exit code, and `acknowledge()` drops a rule's violations from the whole report, unlisted.
 * - 2.278 (`Validations` with app modes, `cxapi.CDK_APP_MODE_CONTEXT`): every plugin with violations is
 *   listed, acknowledged ones as suppressed violations matched by construct path, and a failure throws
 *   in in-memory apps (a `cdk synth` app exits 1), unless `@aws-cdk/core:failSynthOnValidationErrors`
 *   is false.
 *
 * Only the last is complete; elsewhere the guard keeps reporting as an aspect does (errors fail
 * synthesis, warnings and suppressed findings are annotations `cdk synth` prints).
 */
export function reportIsComplete(scope: IConstruct): boolean {
  if (typeof (cxapi as any).CDK_APP_MODE_CONTEXT !== 'string') {
    return false;
  }
  const failSynth = scope.node.tryGetContext(FAIL_SYNTH_ON_VALIDATION_ERRORS);
  return failSynth !== false && failSynth !== 'false';
}
