import { Annotations, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { checkVersionNumber, fail } from './validate';
import { AliasTargetOptions } from '../alias-target-options';
import { ReleaseWarnings } from '../release-warnings';

/** The versions an alias points to: `version`, plus `additionalVersions` by weight. */
export interface AliasTarget {
  readonly version: lambda.IVersion;
  readonly additionalVersions?: lambda.VersionWeight[];
}

/**
 * Works out where the alias `aliasName` points: the current version, a pinned one, or a split
 * between a stable version and the current one. Used for the live alias and stage aliases alike.
 *
 * @param prefix how the options are named in error messages (`''` for SafeFunction props, `stageAliases[dev].`)
 */
export function resolveAliasTarget(owner: IConstruct, fn: lambda.IFunction, current: lambda.IVersion,
  aliasName: string, options: AliasTargetOptions, prefix: string): AliasTarget {
  const { pinnedVersion, weightedRouting } = options;
  if (pinnedVersion !== undefined && weightedRouting) {
    fail(owner, `${prefix}pinnedVersion ('${pinnedVersion}') and ${prefix}weightedRouting are both set, but a pinned alias serves one version`,
      `Remove ${prefix}weightedRouting to pin, or ${prefix}pinnedVersion to split traffic.`);
  }
  const existing = (version: string) => {
    // One import per version number, shared by the aliases pointing to it.
    const id = Token.isUnresolved(version) ? `PublishedVersionToken${owner.node.children.length}` : `PublishedVersion${version}`;
    const found = (owner.node.tryFindChild(id) as lambda.IVersion | undefined);
    return found ?? lambda.Version.fromVersionAttributes(owner, id, { lambda: fn, version });
  };
  if (pinnedVersion !== undefined) {
    checkVersionNumber(owner, `${prefix}pinnedVersion`, pinnedVersion);
    return { version: existing(pinnedVersion) };
  }
  if (weightedRouting) {
    const { stableVersion, newVersionWeight } = weightedRouting;
    checkVersionNumber(owner, `${prefix}weightedRouting.stableVersion`, stableVersion);
    if (!Token.isUnresolved(newVersionWeight) && !(newVersionWeight > 0 && newVersionWeight < 1)) {
      fail(owner, `${prefix}weightedRouting.newVersionWeight must be strictly between 0 and 1, got ${newVersionWeight}`,
        `Use for example 0.1 to send 10% of '${aliasName}' to the current version; to send all or none, use ${prefix}pinnedVersion or drop the split.`);
    }
    return { version: existing(stableVersion), additionalVersions: [{ version: current, weight: newVersionWeight }] };
  }
  return { version: current };
}

/**
 * Warns that the alias integrations bind to is pinned: an emergency state, not a release.
 */
export function warnPinned(owner: IConstruct, aliasName: string, pinnedVersion: string): void {
  Annotations.of(owner).addWarningV2(ReleaseWarnings.PINNED_VERSION,
    `${owner.node.path}: the alias '${aliasName}' is pinned to version ${pinnedVersion}, so the current code and configuration `
    + 'are published but serve no traffic. Fix: remove pinnedVersion once the fix is released, '
    + `or acknowledge with Annotations.of(scope).acknowledgeWarning('${ReleaseWarnings.PINNED_VERSION}', 'reason').`);
}
