import { watchCodeBucket } from './code-bucket-check';
import { BudgetMember, watchVersionBudget } from './version-budget';

/**
 * The synth-time checks of what a safe function's versions need from their surroundings (issue #17):
 * the capacity provider's cap of 100 versions, and a code bucket that keeps the code of retained versions.
 */
export function watchRetentionChecks(member: BudgetMember): void {
  watchVersionBudget(member);
  watchCodeBucket(member);
}
