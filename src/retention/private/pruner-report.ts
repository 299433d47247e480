import { KeptVersion } from './plan-pruning';

/** What one run of the pruner did. */
export interface PruningReport {
  /** Versions deleted. */
  readonly deleted: string[];
  /** Versions a dry run would have deleted. */
  readonly wouldDelete: string[];
  /** Versions kept, with every reason. */
  readonly kept: KeptVersion[];
  /** Failures; pruning stops at the first failure of a list call, deletions carry on past theirs. */
  readonly errors: string[];
  /** Whether the run was a dry run. */
  readonly dryRun: boolean;
  /** Candidates someone else deleted first (`ResourceNotFoundException`): a success, not an error. */
  readonly alreadyDeleted?: string[];
  /** What the run could not achieve without being an error (a capacity provider it cannot get under its cap). */
  readonly warnings?: string[];
}

/**
 * A custom resource response may not exceed 4,096 bytes, Data included; each value is capped so the
 * response always fits. The full report goes to the log.
 */
const MAX_VALUE_LENGTH = 450;
/** The rarer values get less room, so that all of them together (and the Reason) still fit. */
const MAX_ALREADY_DELETED_LENGTH = 150;
const MAX_WARNINGS_LENGTH = 350;

/** Renders the report as the custom resource's response `Data` (every value a string, as GetAtt returns it). */
export function reportData(report: PruningReport): Record<string, string> {
  return {
    Deleted: cap(report.deleted.join(',')),
    DeletedCount: String(report.deleted.length),
    WouldDelete: cap(report.wouldDelete.join(',')),
    Kept: cap(report.kept.map((k) => `${k.version} (${k.reasons.join('; ')})`).join(', ')),
    KeptCount: String(report.kept.length),
    Errors: cap(report.errors.join(' | ')),
    ErrorCount: String(report.errors.length),
    DryRun: String(report.dryRun),
    AlreadyDeleted: cap((report.alreadyDeleted ?? []).join(','), MAX_ALREADY_DELETED_LENGTH),
    Warnings: cap((report.warnings ?? []).join(' | '), MAX_WARNINGS_LENGTH),
  };
}

function cap(value: string, max = MAX_VALUE_LENGTH): string {
  return value.length <= max ? value : `${value.slice(0, max - 30)}... (${value.length} chars, see the log)`;
}
