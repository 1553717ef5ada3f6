import { createHeaderCache } from './headers.ts';
import type { Decision, Lease, LimitCheck, LimitStore } from './types.ts';

/**
 * What a refusal factory receives: the limit, the wait, and the headers to send with the 429.
 * @example const error = signals.error('ih3001', { limit: info.limit }, { retryAfterSeconds: info.retryAfterSeconds, headers: info.headers });
 */
export interface LimitInfo {
  readonly limit: number;
  readonly retryAfterSeconds: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The app's catalog errors for each outcome; the toolkit knows no error ids.
 * @example const errors: LimiterErrors = { rate: (i) => api.error('RATE', {}, i), concurrency: …, unavailable: … };
 */
export interface LimiterErrors {
  rate(info: LimitInfo): Error;
  concurrency(info: LimitInfo): Error;
  /** The store failed and the policy is `closed`. */
  unavailable(info: { readonly retryAfterSeconds: number; readonly cause: unknown }): Error;
}

/**
 * Where the limiter reports a store outage (once when it starts, once when it ends).
 * @example const log: LimiterLog = { error: (o, m) => app.log.error(o, m), info: (o, m) => app.log.info(o, m) };
 */
export interface LimiterLog {
  error(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

/**
 * Options of `createLimiter`.
 * @example const options: LimiterOptions = { store: createMemoryStore(), errors, onStoreFailure: 'closed' };
 */
export interface LimiterOptions {
  readonly store: LimitStore;
  readonly errors: LimiterErrors;
  /** A failing store is never a limit hit: `open` admits (default), `closed` refuses with `unavailable`. */
  readonly onStoreFailure?: 'open' | 'closed';
  /** Retry-After of `unavailable`, in seconds (default 5). */
  readonly unavailableRetryAfterSeconds?: number;
  readonly log?: LimiterLog;
}

/**
 * A request that got past the limits. `release()` gives its concurrency slot back (idempotent;
 * call it when the response ends, however it ends).
 * @example const admission = await limiter.admit(check); reply.headers(admission.headers); res.on('close', admission.release);
 */
export interface Admission {
  /** `RateLimit-Policy` and `RateLimit` for the response. */
  readonly headers: Readonly<Record<string, string>>;
  /** True when the store failed and the request was let through unchecked (`open`). */
  readonly unchecked: boolean;
  release(): void;
}

/**
 * Rate and concurrency limits in front of a handler.
 * @example const limiter = createLimiter({ store, errors }); const admission = await limiter.admit(check);
 */
export interface Limiter {
  /** Decides every rule of `check` at once; throws the matching error when one refuses. */
  admit(check: LimitCheck): Promise<Admission>;
  /**
   * `admit` without a promise when the store answers synchronously (the memory store): returns
   * the admission, or throws the refusal, in the same call. With a networked store it returns
   * the promise `admit` would. For hot paths that can take either, e.g. a callback-style hook.
   */
  admitNow(check: LimitCheck): Admission | Promise<Admission>;
  /** Whether the store answers now, for health checks. */
  health(): Promise<{
    readonly kind: string;
    readonly ok: boolean;
    readonly onStoreFailure: 'open' | 'closed';
  }>;
}

/**
 * Builds a limiter over a store. Refusals raise the app's catalog errors carrying
 * `Retry-After` and IETF RateLimit headers; a store failure is logged once per outage with
 * its cause and handled by `onStoreFailure`, never reported as a limit hit.
 * @example
 * const limiter = createLimiter({ store: createMemoryStore(), errors });
 * const admission = await limiter.admit({ subject: 'acct_1', rate: { limit: 60, windowSeconds: 60 }, concurrency: { limit: 2 } });
 * try { await work(); } finally { admission.release(); }
 */
export function createLimiter(options: LimiterOptions): Limiter {
  const { store, errors, log } = options;
  const policy = options.onStoreFailure ?? 'open';
  const unavailableAfter = options.unavailableRetryAfterSeconds ?? 5;
  let down = false;
  /** Leases held by this process, newest first (a list: taking one out costs no lookup). */
  let newest: Hold | undefined;
  let renewing = false;

  const failed = (cause: unknown): void => {
    if (down) return;
    down = true;
    log?.error(
      { err: cause, store: store.kind, onStoreFailure: policy },
      `limits store unreachable: requests are ${policy === 'open' ? 'admitted unchecked' : 'refused'} until it is back`,
    );
  };
  const answered = (): void => {
    if (!down) return;
    down = false;
    log?.info({ store: store.kind }, 'limits store reachable again: limits enforced');
  };

  const headersOf = createHeaderCache();
  const uncheckedAdmission: Admission = Object.freeze({
    headers: Object.freeze({}),
    unchecked: true,
    release() {},
  });
  /** The store failed: never a limit hit; `open` lets the request through unchecked. */
  const storeFailed = (cause: unknown): Admission => {
    failed(cause);
    if (policy === 'closed') throw errors.unavailable({ retryAfterSeconds: unavailableAfter, cause });
    return uncheckedAdmission;
  };
  const settle = (check: LimitCheck, decision: Decision): Admission => {
    if (down) answered();
    const headers = headersOf(check, decision);
    if (!decision.allowed) {
      const rule = decision.rejectedBy === 'rate' ? check.rate! : check.concurrency!;
      const info = {
        limit: rule.limit,
        retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000),
        headers,
      };
      throw decision.rejectedBy === 'rate' ? errors.rate(info) : errors.concurrency(info);
    }
    const lease = decision.lease;
    if (lease === undefined) return { headers, unchecked: false, release: noop };
    return holdLease(check.subject, lease, headers);
  };
  const admitNow = (check: LimitCheck): Admission | Promise<Admission> => {
    let decision: Decision | Promise<Decision>;
    try {
      decision = store.decide(check);
    } catch (cause) {
      return storeFailed(cause);
    }
    if (isPromise(decision))
      return decision.then(
        (d) => settle(check, d),
        (cause: unknown) => storeFailed(cause),
      );
    return settle(check, decision);
  };

  return {
    admitNow,
    admit(check) {
      try {
        const admission = admitNow(check);
        return isPromise(admission) ? admission : Promise.resolve(admission);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async health() {
      try {
        await store.ping();
        return { kind: store.kind, ok: true, onStoreFailure: policy };
      } catch {
        return { kind: store.kind, ok: false, onStoreFailure: policy };
      }
    },
  };

  /**
   * The admission of a request that holds a lease: also the link of the list of held leases
   * (one object, not an admission and a link). `release` gives the lease back once; while held,
   * the shared renewal timer keeps it alive.
   */
  function holdLease(subject: string, lease: Lease, headers: Readonly<Record<string, string>>): Hold {
    const hold: Hold = {
      headers,
      unchecked: false,
      release: noop,
      subject,
      lease,
      older: newest,
      newer: undefined,
      held: true,
    };
    hold.release = () => {
      if (!hold.held) return;
      hold.held = false;
      if (hold.newer) hold.newer.older = hold.older;
      else newest = hold.older;
      if (hold.older) hold.older.newer = hold.newer;
      // Unlinked for good: a kept admission must not keep the leases after it alive.
      hold.older = hold.newer = undefined;
      // A failed release is not fatal: the lease lapses after its TTL.
      let done: void | Promise<void>;
      try {
        done = store.release(hold.subject, hold.lease);
      } catch (cause) {
        return failed(cause);
      }
      if (isPromise(done)) done.then(answered, failed);
    };
    if (newest) newest.newer = hold;
    newest = hold;
    if (!renewing) startRenewal();
    return hold;
  }

  /** One timer for every held lease (not one per request): long uploads outlive the TTL. */
  function startRenewal(): void {
    renewing = true;
    const timer = setInterval(
      () => {
        for (let hold = newest; hold; hold = hold.older) {
          try {
            const done = store.renew(hold.subject, hold.lease);
            if (isPromise(done)) done.then(answered, failed);
          } catch (cause) {
            failed(cause);
          }
        }
      },
      Math.max(1000, store.leaseMs / 3),
    );
    // Never keeps the process alive; it lives as long as the limiter.
    timer.unref();
  }
}

/** An admission holding a lease: a link of the limiter's list of held leases. */
interface Hold extends Admission {
  release: () => void;
  readonly subject: string;
  readonly lease: Lease;
  older: Hold | undefined;
  newer: Hold | undefined;
  held: boolean;
}

function noop(): void {}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
