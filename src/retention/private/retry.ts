/**
 * Retry and pagination helpers for the pruner's AWS calls. Pure (the clock and the sleep come in as
 * arguments), so the backoff can be tested without waiting.
 */

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Delay before the first retry; doubles on each further retry. */
  readonly baseDelayMs: number;
  /** Upper bound of one delay. */
  readonly maxDelayMs: number;
  /** Waits `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds after which no retry is started (the handler's own time runs out). */
  readonly deadline?: number;
  /** The clock, epoch milliseconds. */
  readonly now?: () => number;
}

const THROTTLING = new Set([
  'TooManyRequestsException', // Lambda
  'ThrottlingException', // CodeDeploy and most JSON services
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
]);

/** Whether an AWS SDK error says the caller was throttled. */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return THROTTLING.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429;
}

/**
 * Calls `call` until it succeeds, retrying throttling errors with exponential backoff.
 *
 * The SDK's standard retry mode already retries throttling a few times within about a second; a
 * release that updates many functions at once can outlast that, so this layer waits longer.
 * Any other error is thrown at once.
 */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= options.maxAttempts) throw error;
      const delay = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      if (options.deadline !== undefined && now() + delay > options.deadline) throw error;
      await options.sleep(delay);
    }
  }
}

/** One page of a list call: its items and the token of the next page, if any. */
export interface Page<T> {
  readonly items?: T[];
  readonly next?: string;
}

/** Collects every item of a paginated list call, following `next` until it is empty. */
export async function collectPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    all.push(...(page.items ?? []));
    token = page.next || undefined;
    // A token that comes back twice would loop forever; fail instead, and prune nothing.
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`pagination token repeated: ${token}`);
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
}
