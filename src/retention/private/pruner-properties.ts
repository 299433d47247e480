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
  };
}

/**
 * Reads the properties of a custom resource event.
 *
 * @throws Error naming every missing or malformed property.
 */
export function parsePrunerProperties(raw: Record<string, unknown> | undefined): PrunerProperties {
  const r = raw ?? {};
  const problems: string[] = [];
  const text = (key: string, required: boolean): string | undefined => {
    const v = r[key];
    if (v === undefined || v === null || v === '') {
      if (required) problems.push(`${key} is missing`);
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
 * The versions a rollback of this deployment would return to: what the previous deployment
 * published and what its alias pointed to. Read from the event's OldResourceProperties.
 */
export function rollbackTargets(old: Record<string, unknown> | undefined): string[] {
  return [...new Set([old?.CurrentVersion, old?.LiveVersion].filter((v) => v !== undefined && v !== null && v !== '').map(String))];
}

/** Whether the raw properties ask for strict mode; read on its own so that it holds even when the rest is malformed. */
export function isStrict(raw: Record<string, unknown> | undefined): boolean {
  return String(raw?.Strict) === 'true';
}
