/**
 * A retry budget: retries may add at most `ratio` extra load on top of first attempts, so a
 * fleet of clients cannot turn an outage into a retry storm (the token-bucket rule gRPC uses).
 * @example const budget = new RetryBudget({ ratio: 0.1, minTokens: 10 }); if (budget.tryRetry()) …
 */
export class RetryBudget {
  readonly #ratio: number;
  readonly #max: number;
  #tokens: number;

  constructor(options: { ratio?: number; minTokens?: number; maxTokens?: number } = {}) {
    this.#ratio = options.ratio ?? 0.1;
    this.#max = options.maxTokens ?? 100;
    this.#tokens = Math.min(this.#max, options.minTokens ?? 10);
  }

  /** Records a first attempt, earning a fraction of a retry. */
  onRequest(): void {
    this.#tokens = Math.min(this.#max, this.#tokens + this.#ratio);
  }

  /** Spends one retry if the budget has it. */
  tryRetry(): boolean {
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Retries currently affordable. */
  get available(): number {
    return Math.floor(this.#tokens);
  }
}
