import { type RateLimitPolicy, rateLimitFields } from '../http/rate-limit-headers.ts';
import type { Decision, LimitCheck } from './types.ts';

/** What never changes for one set of rules: the policy field and the item names of the state field. */
interface Shape {
  readonly rateLimit: number;
  readonly windowSeconds: number;
  readonly rateName: string | undefined;
  readonly concurrencyLimit: number;
  readonly concurrencyName: string | undefined;
  /** `RateLimit-Policy`, whole. */
  readonly policy: string;
  /** `"rpm";r=` — the remaining count follows. */
  readonly rateItem: string;
  /** `"concurrency";r=`, after `, ` when a rate item precedes it. */
  readonly concurrencyItem: string;
  /**
   * The last tail of the state field after the rate's remaining count (`;t=60, "concurrency";r=4`)
   * and what it was built from: the reset and the slots left change far less often than the
   * rate's remaining count, so most answers reuse it.
   */
  tailReset: number;
  tailSlots: number;
  tail: string;
}

/** Apps have a few plans, so a few shapes; past this many the oldest are forgotten. */
const MAX_SHAPES = 64;

/**
 * `RateLimit-Policy` and `RateLimit` for one decision, as `rateLimitFields` writes them. The
 * policy field and the quoted names depend only on the rules, so they are built once per set of
 * rules and reused: per request only the two counters and the reset are formatted.
 * @example const fields = createHeaderCache(); const headers = fields(check, decision);
 */
export function createHeaderCache(): (check: LimitCheck, decision: Decision) => Record<string, string> {
  // Most recent first: a service's traffic mostly hits the same plan again.
  const shapes: Shape[] = [];

  const find = (check: LimitCheck): Shape => {
    const rate = check.rate;
    const concurrency = check.concurrency;
    const rateLimit = rate ? rate.limit : -1;
    const windowSeconds = rate ? rate.windowSeconds : -1;
    const rateName = rate ? (rate.policy ?? 'rate') : undefined;
    const concurrencyLimit = concurrency ? concurrency.limit : -1;
    const concurrencyName = concurrency ? (concurrency.policy ?? 'concurrency') : undefined;
    for (let i = 0; i < shapes.length; i++) {
      const s = shapes[i]!;
      if (
        s.rateLimit === rateLimit &&
        s.windowSeconds === windowSeconds &&
        s.concurrencyLimit === concurrencyLimit &&
        s.rateName === rateName &&
        s.concurrencyName === concurrencyName
      ) {
        if (i > 0) {
          shapes.splice(i, 1);
          shapes.unshift(s);
        }
        return s;
      }
    }
    const policies: RateLimitPolicy[] = [];
    if (rateName !== undefined)
      policies.push({ name: rateName, quota: rateLimit, windowSeconds, remaining: 0 });
    if (concurrencyName !== undefined)
      policies.push({
        name: concurrencyName,
        quota: concurrencyLimit,
        unit: 'concurrent-requests',
        remaining: 0,
      });
    // Each item of the state field with remaining 0 ends in `r=0`: drop the 0 to keep the prefix.
    const items = policies.map((p) => rateLimitFields([p])['ratelimit']!.slice(0, -1));
    const shape: Shape = {
      rateLimit,
      windowSeconds,
      rateName,
      concurrencyLimit,
      concurrencyName,
      policy: rateLimitFields(policies)['ratelimit-policy']!,
      rateItem: rateName !== undefined ? items[0]! : '',
      concurrencyItem:
        concurrencyName === undefined ? '' : rateName !== undefined ? `, ${items[1]!}` : items[0]!,
      tailReset: -1,
      tailSlots: -1,
      tail: '',
    };
    if (shapes.length >= MAX_SHAPES) shapes.pop();
    shapes.unshift(shape);
    return shape;
  };

  /** The state field after the rate's remaining count, rebuilt only when its inputs change. */
  const tailOf = (shape: Shape, reset: number, slots: number): string => {
    if (shape.tailReset !== reset || shape.tailSlots !== slots) {
      shape.tail =
        reset < 0
          ? `${shape.concurrencyItem}${slots}`
          : `;t=${reset}${slots < 0 ? '' : `${shape.concurrencyItem}${slots}`}`;
      shape.tailReset = reset;
      shape.tailSlots = slots;
    }
    return shape.tail;
  };

  return (check, decision) => {
    const shape = find(check);
    // -1: the rule is absent (its part of the field is left out).
    const slots = check.concurrency
      ? decision.rejectedBy === 'concurrency'
        ? 0
        : whole(check.concurrency.limit - decision.inFlight)
      : -1;
    let state: string;
    if (check.rate) {
      const refused = decision.rejectedBy === 'rate';
      const remaining = refused ? 0 : whole(check.rate.limit - decision.rateUsed);
      const reset = Math.max(0, Math.ceil((refused ? decision.retryAfterMs : decision.rateResetMs) / 1000));
      state = `${shape.rateItem}${remaining}${tailOf(shape, reset, slots)}`;
    } else state = slots < 0 ? '' : tailOf(shape, -1, slots);
    return { 'ratelimit-policy': shape.policy, ratelimit: state };
  };
}

function whole(value: number): number {
  return value > 0 ? Math.floor(value) : 0;
}
