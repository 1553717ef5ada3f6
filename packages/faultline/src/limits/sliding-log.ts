/** First capacity of a log; it doubles on demand up to the limit. */
const INITIAL_CAPACITY = 16;

/**
 * The exact sliding-window log of one subject: the times of its last admissions, in a ring.
 * It admits iff fewer than `limit` admissions fall in the trailing window — no burst at window
 * edges (fixed windows), no drip of extra admissions while a burst is being answered (GCRA):
 * "100 per minute" means 100 in any minute. O(1) to decide, O(log n) to count; memory grows
 * with the admissions actually made in a window (never past `limit` of them), not with `limit`.
 */
export class SlidingLog {
  #limit: number;
  #times: Float64Array;
  /** Index of the oldest of the stored times. */
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

  /** Admissions in `(now - windowMs, now]`. */
  used(now: number, windowMs: number): number {
    const start = now - windowMs;
    // Times are sorted (monotonic clock): binary search for the first one inside the window.
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#at(mid) <= start) lo = mid + 1;
      else hi = mid;
    }
    return this.#count - lo;
  }

  /** Milliseconds until the oldest admission in the window leaves it (0 when none). */
  resetMs(now: number, windowMs: number): number {
    const used = this.used(now, windowMs);
    if (used === 0) return 0;
    return Math.max(0, this.#at(this.#count - used) + windowMs - now);
  }

  /** Whether one more admission fits now. */
  fits(now: number, windowMs: number): boolean {
    return this.#count < this.#limit || this.#at(this.#count - this.#limit) <= now - windowMs;
  }

  /** Records an admission (call only after `fits`). */
  add(now: number): void {
    if (this.#count === this.#times.length && this.#count < this.#limit)
      this.#copy(Math.min(this.#limit, this.#times.length * 2));
    const size = this.#times.length;
    if (this.#count < size) {
      this.#times[(this.#head + this.#count) % size] = now;
      this.#count++;
    } else {
      this.#times[this.#head] = now;
      this.#head = (this.#head + 1) % size;
    }
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
    return this.#times[(this.#head + index) % this.#times.length]!;
  }
}
