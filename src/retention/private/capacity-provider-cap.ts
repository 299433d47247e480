/**
 * Keeps a capacity provider (Lambda Managed Instances) under its cap of 100 function versions, which
 * every function on it shares and which cannot be raised (issue #17 §1). Pure: the provider's
 * versions come in as listed by `ListFunctionVersionsByCapacityProvider`.
 *
 * Keep this module free of aws-cdk-lib imports: it is bundled into the handler.
 */
import { versionQualifier } from './plan-pruning';

/** Lambda's quota "Function versions per capacity provider: 100 … Cannot be increased". */
export const CAPACITY_PROVIDER_VERSION_CAP = 100;

export interface ProviderCapInput {
  /** The provider's ARN (for the report). */
  readonly providerArn: string;
  /** The qualified ARNs of every function version on the provider, every function's. */
  readonly providerVersionArns: string[];
  /** The function this run prunes (its name). */
  readonly functionName: string;
  /** The versions this run already plans to delete. */
  readonly plannedDeletions: string[];
  /** This function's versions that only the newest-N rule keeps, newest first (never a protected one). */
  readonly keptOnlyByCount: string[];
  /** How many more versions this run may delete (`pruneMaxDeletions` minus the planned ones). */
  readonly deletionsLeft: number;
  readonly cap?: number;
}

export interface ProviderCapPlan {
  /** Versions to delete beyond the newest-N rule, oldest first. */
  readonly extra: string[];
  /** Versions on the provider once the planned and extra deletions are done. */
  readonly remaining: number;
  /** The most the provider should hold: the cap minus one version for each of its functions to publish next. */
  readonly target: number;
  /** Functions on the provider. */
  readonly functions: number;
  /** Why the provider stays over the target, if it does. */
  readonly warning?: string;
}

/**
 * How many of this function's versions beyond its planned deletions must go so that the provider
 * keeps room for each of its functions to publish one version: the oldest of those only the newest-N
 * rule keeps, as many as the provider is over, within the run's deletion limit.
 *
 * Several functions pruned in the same deployment may each take their share of an overflow they all
 * see, so the provider can end below the target: that costs rollback depth, never a protected
 * version, and the cap is what blocks every deployment on the provider.
 */
export function planProviderCap(input: ProviderCapInput): ProviderCapPlan {
  const cap = input.cap ?? CAPACITY_PROVIDER_VERSION_CAP;
  const planned = new Set(input.plannedDeletions);
  const names = new Set<string>([input.functionName]);
  let held = 0;
  for (const arn of input.providerVersionArns) {
    const version = versionQualifier(arn);
    if (version === undefined) continue;
    const name = arn.split(':')[6];
    names.add(name);
    if (!(name === input.functionName && planned.has(version))) held++;
  }
  const target = cap - names.size;
  const over = Math.max(0, held - target);
  const extra = [...input.keptOnlyByCount].reverse().slice(0, Math.min(over, Math.max(0, input.deletionsLeft)));
  const remaining = held - extra.length;
  let warning: string | undefined;
  if (remaining > target) {
    const limited = extra.length < over && extra.length < input.keptOnlyByCount.length;
    warning = `capacity provider ${input.providerArn} holds ${remaining} versions of its ${names.size} function(s), `
      + `over the ${target} that leave each room to publish one (Lambda's cap: ${cap}, not raisable)`
      + (remaining >= cap ? '; at the cap, the next publish on it fails' : '')
      + (limited
        ? `. ${input.functionName} reached pruneMaxDeletions; the next deployment continues`
        : `. ${input.functionName} keeps only protected versions beyond its planned deletions`)
      + '; lower retainVersions, or prune the other functions on the provider';
  }
  return { extra, remaining, target, functions: names.size, warning };
}
