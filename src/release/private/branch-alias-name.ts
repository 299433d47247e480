import { createHash } from 'crypto';
import { Token } from 'aws-cdk-lib';

const MAX = 128;
const HASH_LENGTH = 8;

/**
 * A valid, stable alias name for a git branch: characters Lambda refuses become `-`, runs of them
 * collapse, and the name is cut to fit. Whenever the result differs from the branch name, or is all
 * digits, a short hash of the branch name is appended, so two branches never share an alias
 * (`feature/a` and `feature-a` both sanitize to `feature-a`).
 */
export function aliasNameForBranch(branch: string): string {
  if (Token.isUnresolved(branch) || branch.length === 0) {
    throw new Error(`SafeFunction.aliasNameForBranch: the branch name must be a non-empty literal string, got '${branch}'. `
      + 'Read it at synth time, for example from process.env.GITHUB_HEAD_REF or `git rev-parse --abbrev-ref HEAD`.');
  }
  const sanitized = branch.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  if (sanitized === branch && branch.length <= MAX && !/^[0-9]+$/.test(branch)) {
    return branch;
  }
  const hash = createHash('sha256').update(branch).digest('hex').slice(0, HASH_LENGTH);
  const base = sanitized.slice(0, MAX - HASH_LENGTH - 1).replace(/-+$/, '');
  return base ? `${base}-${hash}` : `branch-${hash}`;
}
