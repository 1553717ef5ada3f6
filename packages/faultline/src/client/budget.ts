/**
 * Options of `RetryBudget`; the defaults are the AWS SDKs' standard retry mode.
 * @example new RetryBudget({ capacity: 50 } satisfies RetryBudgetOptions)
 */
export interface RetryBudgetOptions {
  /** Tokens the bucket holds, and starts with (default 500). */
  readonly capacity?: number;
  /** Tokens a retry costs (default 5). */
  readonly retryCost?: number;
  /** Tokens a retry after a timeout or connection failure costs (default 10): those hurt most. */
  readonly timeoutCost?: number;
  /** Tokens a call that succeeded at its first attempt gives back (default 1). */
  readonly successReward?: number;
}

/**
 * A retry budget shared by every call of a client (or of several): a token bucket as in the
 * AWS SDKs' standard mode. Each retry takes tokens; a call that succeeds gives back what its
 * last retry took (or a small reward when it needed none). While a dependency fails, the bucket
 * drains and the client stops retrying, so failures cannot multiply the traffic; it refills
 * as calls succeed again. Total retries are bounded by (capacity + tokens given back) / retryCost.
 * @example
 * const budget = new RetryBudget({ capacity: 50 });
 * const a = createClient({ baseUrl, budget }), b = createClient({ baseUrl: other, budget });
 */
export class RetryBudget {
  readonly #capacity: number;
  readonly #retryCost: number;
  readonly #timeoutCost: number;
  readonly #reward: number;
  #tokens: number;
  #retries = 0;

  constructor(options: RetryBudgetOptions = {}) {
    this.#capacity = Math.max(0, options.capacity ?? 500);
    this.#retryCost = Math.max(0, options.retryCost ?? 5);
    this.#timeoutCost = Math.max(0, options.timeoutCost ?? 10);
    this.#reward = Math.max(0, options.successReward ?? 1);
    this.#tokens = this.#capacity;
  }

  /**
   * Takes the tokens of one retry; the number taken (give it to `release` on success), or
   * undefined when the budget cannot afford it — then do not retry.
   */
  acquire(kind: 'error' | 'timeout' = 'error'): number | undefined {
    const cost = kind === 'timeout' ? this.#timeoutCost : this.#retryCost;
    if (this.#tokens < cost) return undefined;
    this.#tokens -= cost;
    this.#retries++;
    return cost;
  }

  /** A call succeeded: gives back what its last retry took, or the reward if it needed no retry. */
  release(taken: number | undefined): void {
    this.#tokens = Math.min(this.#capacity, this.#tokens + (taken ?? this.#reward));
  }

  /** Tokens left. */
  get available(): number {
    return this.#tokens;
  }

  /** Retries this budget has paid for so far. */
  get retries(): number {
    return this.#retries;
  }
}
