/**
 * Decides which versions of a function to delete. Pure: every fact about the account comes in
 * through `PruningInput`, so each safety rule can be tested without AWS.
 */

/** A published version as `ListVersionsByFunction` reports it. */
export interface VersionInfo {
  /** `$LATEST` or a version number. */
  readonly version: string;
  /** `LastModified` as Lambda formats it (`2024-05-01T12:00:00.000+0000`). */
  readonly lastModified?: string;
}

/** A version that must not be deleted, and why. */
export interface Protection {
  readonly version: string;
  readonly reason: string;
}

export interface PruningInput {
  /** Every version of the function, in any order, `$LATEST` included or not. */
  readonly versions: VersionInfo[];
  /** How many of the newest numbered versions to keep. */
  readonly retain: number;
  /** Versions younger than this are kept. */
  readonly minAgeSeconds: number;
  /** Most versions to delete; the oldest candidates go first. */
  readonly maxDeletions: number;
  /** The time to measure ages against, in epoch milliseconds. */
  readonly now: number;
  /** Versions held by aliases, provisioned concurrency, event source mappings, the rollback target... */
  readonly protections: Protection[];
  /** When set, nothing is deleted (a CodeDeploy deployment in progress...); the text says why. */
  readonly blockedBy?: string;
}

/** A kept version and every reason it is kept. */
export interface KeptVersion {
  readonly version: string;
  readonly reasons: string[];
}

export interface PruningPlan {
  /** Versions to delete, oldest first. */
  readonly delete: string[];
  /** Every other version, newest first. */
  readonly keep: KeptVersion[];
  /**
   * Kept versions that only the newest-`retain` rule keeps (nothing protects them otherwise), newest
   * first: what a capacity provider over its cap may claim (issue #17 §1).
   */
  readonly keptOnlyByCount: string[];
}

const NUMBERED = /^[0-9]+$/;

export function planPruning(input: PruningInput): PruningPlan {
  const reasons = new Map<string, string[]>();
  const keep = (version: string, reason: string) => {
    const list = reasons.get(version) ?? [];
    if (!list.includes(reason)) list.push(reason);
    reasons.set(version, list);
  };

  const numbered: VersionInfo[] = [];
  for (const v of input.versions) {
    if (v.version === '$LATEST') {
      keep(v.version, '$LATEST');
    } else if (NUMBERED.test(v.version)) {
      numbered.push(v);
    } else {
      // `$LATEST.PUBLISHED` (Lambda Managed Instances) or anything Lambda adds later: not ours to judge.
      keep(v.version, 'not a version number');
    }
  }
  // Numerically: a text sort would rank "9" above "10" and keep the wrong versions.
  numbered.sort((a, b) => Number(b.version) - Number(a.version));

  const present = new Set(input.versions.map((v) => v.version));
  for (const p of input.protections) {
    if (present.has(p.version)) keep(p.version, p.reason);
  }

  const candidates: string[] = [];
  const byCount = `one of the ${input.retain} newest`;
  numbered.forEach((v, i) => {
    if (i < input.retain) keep(v.version, byCount);
    const age = ageSeconds(v.lastModified, input.now);
    if (age === undefined) {
      keep(v.version, 'age unknown');
    } else if (age < input.minAgeSeconds) {
      keep(v.version, `younger than ${input.minAgeSeconds}s`);
    }
    if (input.blockedBy) keep(v.version, input.blockedBy);
    if (!reasons.has(v.version)) candidates.push(v.version);
  });

  // Oldest first, so that a capped run still frees the versions least likely to be wanted.
  candidates.reverse();
  const toDelete = candidates.slice(0, input.maxDeletions);
  for (const v of candidates.slice(input.maxDeletions)) {
    keep(v, `over the cap of ${input.maxDeletions} deletions per run`);
  }

  const order = (v: string) => (v === '$LATEST' ? Infinity : NUMBERED.test(v) ? Number(v) : -1);
  const kept = [...reasons.entries()]
    .map(([version, why]) => ({ version, reasons: why }))
    .sort((a, b) => order(b.version) - order(a.version));
  const keptOnlyByCount = numbered
    .map((v) => v.version)
    .filter((v) => { const why = reasons.get(v); return why?.length === 1 && why[0] === byCount; });
  return { delete: toDelete, keep: kept, keptOnlyByCount };
}

/** Seconds since `lastModified`, or undefined when it cannot be read (such a version is kept). */
export function ageSeconds(lastModified: string | undefined, now: number): number | undefined {
  if (!lastModified) return undefined;
  // Lambda writes the offset without a colon (`+0000`), which not every Date parser accepts.
  const iso = lastModified.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : (now - t) / 1000;
}

/** The qualifier of a qualified function ARN when it is a version number (`...:function:f:7` → `7`). */
export function versionQualifier(functionArn: string | undefined): string | undefined {
  const parts = (functionArn ?? '').split(':');
  // arn:partition:lambda:region:account:function:name[:qualifier]
  const qualifier = parts.length === 8 ? parts[7] : undefined;
  return qualifier !== undefined && NUMBERED.test(qualifier) ? qualifier : undefined;
}
