/**
 * The custom resource's properties: written by the construct, read by the pruner handler.
 *
 * One module for both sides so that a renamed or added property cannot drift between them.
 * CloudFormation hands every scalar property to the handler as a string, so `parsePrunerProperties`
 * converts back and rejects values the construct would never have written.
 *
 * Keep this module free of aws-cdk-lib imports: it is bundled into the handler.
 */
export interface PrunerProperties {
  /** Unqualified name of the function whose versions are pruned. */
  readonly functionName: string;
  /** Name of the alias integrations are bound to. */
  readonly aliasName: string;
  /** The version this deployment published (changes on every release, so the pruner runs). */
  readonly currentVersion: string;
  /** The version the alias points to after this deployment (differs from `currentVersion` while pinned or shifting). */
  readonly liveVersion: string;
  /** How many of the newest versions to keep. */
  readonly retainVersions: number;
  /** Versions younger than this are never deleted. */
  readonly minAgeSeconds: number;
  /** Most versions one run deletes. */
  readonly maxDeletions: number;
  /** Report what would be deleted, delete nothing. */
  readonly dryRun: boolean;
  /** Fail the deployment when pruning fails. */
  readonly strict: boolean;
  /** CodeDeploy application whose deployments block pruning while in progress. */
  readonly codeDeployApplication?: string;
  /** CodeDeploy deployment group, with `codeDeployApplication`. */
  readonly codeDeployDeploymentGroup?: string;
  /**
   * Every alias of the function in the stack and where it points after this deployment. The next
   * deployment gets them back as OldResourceProperties: the versions a rollback would return to.
   */
  readonly aliases?: AliasTarget[];
}

/** Where one alias points: its version and the versions it routes weighted traffic to. */
export interface AliasTarget {
  readonly name: string;
  readonly version: string;
  readonly routed?: string[];
}

/** Renders the properties as the custom resource's `Properties` (PascalCase, CloudFormation's convention). */
export function renderPrunerProperties(p: PrunerProperties): Record<string, unknown> {
  return {
    FunctionName: p.functionName,
    AliasName: p.aliasName,
    CurrentVersion: p.currentVersion,
    LiveVersion: p.liveVersion,
    RetainVersions: p.retainVersions,
    MinAgeSeconds: p.minAgeSeconds,
    MaxDeletions: p.maxDeletions,
    DryRun: p.dryRun,
    Strict: p.strict,
    CodeDeployApplication: p.codeDeployApplication,
    CodeDeployDeploymentGroup: p.codeDeployDeploymentGroup,
    Aliases: p.aliases?.map((a) => ({ Name: a.name, Version: a.version, Routed: a.routed ?? [] })),
  };
}

/**
 * Reads the properties of a custom resource event.
 *
 * @throws Error naming every missing or malformed property.
 */
export function parsePrunerProperties(raw: unknown): PrunerProperties {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`invalid pruner properties: ResourceProperties is ${raw === undefined ? 'missing' : `not an object (${JSON.stringify(raw)})`}`);
  }
  const r = raw as Record<string, unknown>;
  const problems: string[] = [];
  const text = (key: string, required: boolean): string | undefined => {
    const v = r[key];
    if (v === undefined || v === null || v === '') {
      if (required) problems.push(`${key} is missing`);
      return undefined;
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      problems.push(`${key} must be a string, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return String(v);
  };
  const whole = (key: string, min: number): number => {
    const v = Number(text(key, true));
    if (!Number.isInteger(v) || v < min) problems.push(`${key} must be a whole number of at least ${min}, got ${JSON.stringify(r[key])}`);
    return v;
  };
  const flag = (key: string): boolean => String(r[key]) === 'true';

  const props: PrunerProperties = {
    functionName: text('FunctionName', true) ?? '',
    aliasName: text('AliasName', true) ?? '',
    currentVersion: text('CurrentVersion', true) ?? '',
    liveVersion: text('LiveVersion', true) ?? '',
    retainVersions: whole('RetainVersions', 1),
    minAgeSeconds: whole('MinAgeSeconds', 0),
    maxDeletions: whole('MaxDeletions', 1),
    dryRun: flag('DryRun'),
    strict: flag('Strict'),
    codeDeployApplication: text('CodeDeployApplication', false),
    codeDeployDeploymentGroup: text('CodeDeployDeploymentGroup', false),
    aliases: aliasTargets(r.Aliases, problems),
  };
  if ((props.codeDeployApplication === undefined) !== (props.codeDeployDeploymentGroup === undefined)) {
    problems.push('CodeDeployApplication and CodeDeployDeploymentGroup must be set together');
  }
  if (problems.length > 0) {
    throw new Error(`invalid pruner properties: ${problems.join('; ')}`);
  }
  return props;
}

/**
 * Where each alias points after this deployment (`Aliases`), protected as the live alias is: during an
 * update rollback the aliases may still point elsewhere when the pruner runs. Malformed entries are
 * problems: an unknown target must stop deletions rather than be dropped.
 */
function aliasTargets(raw: unknown, problems: string[]): AliasTarget[] | undefined {
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (!Array.isArray(raw)) {
    problems.push(`Aliases must be a list, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  const targets: AliasTarget[] = [];
  for (const entry of raw) {
    const a = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
    const version = typeof a.Version === 'number' ? String(a.Version) : a.Version;
    const routed = a.Routed === undefined ? [] : a.Routed;
    if (typeof a.Name !== 'string' || typeof version !== 'string' || version === ''
      || !Array.isArray(routed) || routed.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      problems.push(`Aliases holds a malformed entry ${JSON.stringify(entry)} (want { Name, Version, Routed: [...] })`);
      continue;
    }
    targets.push({ name: a.Name, version, routed: routed.map(String) });
  }
  return targets;
}

/** The versions a rollback of this deployment could return to, and whether that list is complete. */
export interface RollbackTargets {
  readonly versions: string[];
  /**
   * False when the previous target of some alias cannot be known: on Create (retention switched on
   * for an existing function, its aliases possibly moved in the same deployment), or when the old
   * properties were written by a release of the library that did not record every alias.
   */
  readonly complete: boolean;
}

/**
 * The versions a rollback of this deployment would return to: what the previous deployment
 * published, what its live alias pointed to, and where every alias it recorded pointed or routed.
 * Read from the event's OldResourceProperties; anything malformed makes the list incomplete.
 */
export function rollbackTargets(old: Record<string, unknown> | undefined): RollbackTargets {
  if (!old || typeof old !== 'object') return { versions: [], complete: false };
  const found = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v !== '') found.add(v);
    else if (typeof v === 'number') found.add(String(v));
  };
  add(old.CurrentVersion);
  add(old.LiveVersion);
  let complete = Array.isArray(old.Aliases);
  for (const a of Array.isArray(old.Aliases) ? old.Aliases : []) {
    if (!a || typeof a !== 'object') { complete = false; continue; }
    const alias = a as Record<string, unknown>;
    if (typeof alias.Version !== 'string' && typeof alias.Version !== 'number') complete = false;
    add(alias.Version);
    if (alias.Routed !== undefined && !Array.isArray(alias.Routed)) complete = false;
    for (const r of Array.isArray(alias.Routed) ? alias.Routed : []) add(r);
  }
  if (old.CurrentVersion === undefined || old.LiveVersion === undefined) complete = false;
  return { versions: [...found], complete };
}

/** Whether the raw properties ask for strict mode; read on its own so that it holds even when the rest is malformed. */
export function isStrict(raw: unknown): boolean {
  return !!raw && typeof raw === 'object' && String((raw as Record<string, unknown>).Strict) === 'true';
}
