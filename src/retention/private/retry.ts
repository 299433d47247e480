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

/** Bounds of one paginated listing. */
export interface PageLimits {
  /** Most pages followed; a listing that needs more throws (an incomplete listing protects nothing). */
  readonly maxPages: number;
  /** Epoch milliseconds after which no further page is asked for. */
  readonly deadline?: number;
  /** The clock, epoch milliseconds. */
  readonly now?: () => number;
}

/** Pages followed at most by default: 1,000 pages of 50 versions is more than any function keeps. */
export const DEFAULT_MAX_PAGES = 1000;

/**
 * Collects every item of a paginated list call, following `next` until it is empty.
 *
 * Throws rather than return a partial listing: the listings say what is protected, and a version
 * missing from them could be deleted although an alias or a mapping still uses it.
 */
export async function collectPages<T>(
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
  limits: PageLimits = { maxPages: DEFAULT_MAX_PAGES },
): Promise<T[]> {
  const now = limits.now ?? Date.now;
  const all: T[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  let pages = 0;
  do {
    if (pages >= limits.maxPages) throw new Error(`listing stopped after ${limits.maxPages} pages (endless pagination?)`);
    if (pages > 0 && limits.deadline !== undefined && now() >= limits.deadline) {
      throw new Error(`listing stopped after ${pages} pages: out of time`);
    }
    const page = await fetchPage(token);
    pages++;
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
