/**
 * IDs of the warnings SafeFunction emits about releases.
 *
 * Each is acknowledgeable: `Annotations.of(scope).acknowledgeWarning(ReleaseWarnings.PINNED_VERSION, 'reason')`.
 */
export class ReleaseWarnings {
  /**
   * The alias integrations bind to is pinned to an existing version: the current code and
   * configuration are published but serve no traffic until the pin is removed.
   */
  public static readonly PINNED_VERSION = 'cdk-safe-lambda:SafeFunction.pinnedVersion';

  private constructor() {}
}
