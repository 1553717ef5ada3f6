/** First capacity of a log; it doubles on demand up to the limit. */
const INITIAL_CAPACITY = 16;

/**
 * The exact sliding-window log of one subject: the times of its admissions still inside the
 * window, oldest first, in a ring. It admits iff fewer than `limit` fall in the trailing window —
 * no burst at window edges (fixed windows), no drip of extra admissions while a burst is being
 * answered (GCRA): "100 per minute" means 100 in any minute. Times that leave the window are
 * dropped as time passes, so every operation is O(1) amortised and memory follows the
 * admissions of one window (never more than `limit` of them).
 * @example
 * const log = new SlidingLog(100);
 * log.slide(now, 60_000);
 * if (log.waitMs(now, 60_000) === 0) log.add(now);
 */
export class SlidingLog {
  #limit: number;
  #times: Float64Array;
  /** Index of the oldest stored time. */
  #head = 0;
  #count = 0;

  constructor(limit: number) {
    this.#limit = limit;
    this.#times = new Float64Array(Math.min(limit, INITIAL_CAPACITY));
  }

  get limit(): number {
    return this.#limit;
  }

  /** Adopts a new limit (a plan change), keeping the newest admissions. */
  resize(limit: number): void {
    if (limit === this.#limit) return;
    this.#limit = limit;
    if (this.#count > limit || this.#times.length > limit) this.#copy(Math.min(limit, this.#times.length));
  }

  /** Drops the times at or before `now - windowMs`; returns the admissions left in the window. */
  slide(now: number, windowMs: number): number {
    const edge = now - windowMs;
    const size = this.#times.length;
    while (this.#count > 0 && this.#times[this.#head]! <= edge) {
      this.#head = this.#head + 1 === size ? 0 : this.#head + 1;
      this.#count--;
    }
    return this.#count;
  }

  /** Milliseconds until the oldest admission leaves the window (0 when none); call after `slide`. */
  resetMs(now: number, windowMs: number): number {
    if (this.#count === 0) return 0;
    return Math.max(0, this.#times[this.#head]! + windowMs - now);
  }

  /** Milliseconds until one more admission fits (0 when one fits now); call after `slide`. */
  waitMs(now: number, windowMs: number): number {
    if (this.#count < this.#limit) return 0;
    return Math.max(0, this.#at(this.#count - this.#limit) + windowMs - now);
  }

  /** Records an admission (call only when `waitMs` is 0). */
  add(now: number): void {
    if (this.#count === this.#times.length) this.#copy(Math.min(this.#limit, this.#times.length * 2));
    const size = this.#times.length;
    const tail = this.#head + this.#count;
    this.#times[tail >= size ? tail - size : tail] = now;
    this.#count++;
  }

  /** Newest admission time, or -Infinity. */
  newest(): number {
    return this.#count === 0 ? Number.NEGATIVE_INFINITY : this.#at(this.#count - 1);
  }

  /** Moves the newest admissions (as many as fit) into a new ring of `capacity`. */
  #copy(capacity: number): void {
    const keep = Math.min(this.#count, capacity);
    const next = new Float64Array(capacity);
    for (let i = 0; i < keep; i++) next[i] = this.#at(this.#count - keep + i);
    this.#times = next;
    this.#head = 0;
    this.#count = keep;
  }

  #at(index: number): number {
    const i = this.#head + index;
    return this.#times[i >= this.#times.length ? i - this.#times.length : i]!;
  }
}
