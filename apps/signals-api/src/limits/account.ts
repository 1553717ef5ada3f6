import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { isApiError } from 'faultline';
import type { Admission, Limiter } from 'faultline/limits';
import { signals } from '../catalog.ts';
import type { Config } from '../config.ts';
import type { Plan, Store } from '../db/store.ts';
import { type Charge, precheckQuota, reserveMinutes } from './quota.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The account limits of this app (`admit(keyId)` for WebSocket sessions). */
    accountLimits: AccountLimits;
  }
}

/**
 * A session or request let in by the account limits; `release()` frees its concurrency slot
 * (idempotent). `headers` are the RateLimit fields to send.
 * @example const ticket = await limits.admit(keyId); try { … } finally { ticket.release(); }
 */
export interface Ticket {
  readonly plan: Plan;
  readonly headers: Readonly<Record<string, string>>;
  release(): void;
}

/**
 * The account limits of signals-api, in the documented order.
 * @example const limits = createAccountLimits({ store, limiter, config, now });
 */
export interface AccountLimits {
  /**
   * Subscription (ih3005) → rate (ih3001) → concurrency (ih3002). For WebSocket sessions:
   * hold the ticket for the session's life.
   */
  admit(keyId: string): Promise<Ticket>;
  /**
   * The upload gate (an `onRequest` hook after authentication): `admit`, RateLimit headers on
   * the reply, the slot released when the response ends however it ends, then the quota
   * pre-check (ih3003 / ih3004) before the body is read.
   */
  gate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** After inspection: reserves `ceil(videoSeconds)` seconds of quota (ih3003 / ih3004). */
  reserve(request: FastifyRequest, videoSeconds: number): Promise<Charge>;
  /**
   * `reserve`, then `work` (the analysis): the minutes are committed when it succeeds and
   * released when it fails, whatever the failure.
   */
  billed<T>(request: FastifyRequest, videoSeconds: number, work: () => Promise<T>): Promise<T>;
  /**
   * `POST /v0/auth` per client IP (ih3001), as a callback-style `onRequest` hook: with the
   * memory store it decides without a promise (a flood of guesses is its hot path).
   */
  limitIp: onRequestHookHandler;
}

/**
 * Options of `createAccountLimits`.
 * @example const options: AccountLimitsOptions = { store, limiter, config, now: Date.now };
 */
export interface AccountLimitsOptions {
  readonly store: Store;
  readonly limiter: Limiter;
  readonly config: Config;
  readonly now: () => number;
}

/**
 * Builds the account limits over a store (plans, subscriptions, the usage ledger) and a
 * limiter (rate and concurrency, in memory or Redis).
 * @example const limits = createAccountLimits({ store, limiter, config, now });
 */
export function createAccountLimits(options: AccountLimitsOptions): AccountLimits {
  const { store, limiter, config, now } = options;
  const plans = new WeakMap<FastifyRequest, Plan>();
  // A reservation outlives the longest analysis, so only a crashed instance lets one lapse.
  const holdMs = config.analyzerTimeoutMs + 60_000;

  /**
   * An auth refusal answered after `authRefusalDelayMs`: one connection that ignores Retry-After
   * gets one answer per delay, so guessing in a loop costs the server almost nothing. The wait
   * ends early, with the same answer, if the client goes away.
   */
  const refuseLater = (reply: FastifyReply, refusal: Error, done: (error?: Error) => void) => {
    const delayMs = config.authRefusalDelayMs;
    // Only the limit's own refusal waits: a limits store that failed (ih1002) is our fault.
    if (delayMs <= 0 || !isApiError(refusal) || refusal.id !== 'ih3001') return done(refusal);
    const answer = () => {
      clearTimeout(timer);
      reply.raw.off('close', answer);
      done(refusal);
    };
    const timer = setTimeout(answer, delayMs);
    reply.raw.once('close', answer);
  };

  const admit = async (keyId: string): Promise<Ticket> => {
    const account = await store.accountLimits(keyId);
    // authenticate() found the key a moment ago; gone now means revoked/deleted meanwhile.
    if (!account) throw signals.error('ih2010');
    if (account.subscription !== 'active') throw signals.error('ih3005');
    const { plan } = account;
    const admission = await limiter.admit({
      subject: `key:${keyId}`,
      rate: { limit: plan.rpm, windowSeconds: 60, policy: 'rpm' },
      concurrency: { limit: plan.concurrency, policy: 'concurrency' },
    });
    return { plan, headers: admission.headers, release: admission.release };
  };

  const reserve = async (request: FastifyRequest, videoSeconds: number): Promise<Charge> => {
    const plan = plans.get(request);
    const keyId = request.auth?.keyId;
    if (!plan || keyId === undefined) throw new Error('reserve() called before the limits gate');
    return reserveMinutes({
      store,
      keyId,
      plan,
      correlationId: request.correlationId,
      videoSeconds,
      now: now(),
      holdMs,
    });
  };

  return {
    admit,
    reserve,
    async billed(request, videoSeconds, work) {
      const charge = await reserve(request, videoSeconds);
      try {
        const result = await work();
        await charge.commit();
        return result;
      } finally {
        await charge.release();
      }
    },
    async gate(request, reply) {
      const keyId = request.auth?.keyId;
      if (keyId === undefined) throw signals.error('ih2008');
      let ticket: Ticket;
      try {
        ticket = await admit(keyId);
      } catch (error) {
        // Refusals carry their RateLimit headers; copy them onto the reply as well.
        const headers = (error as { headers?: Record<string, string> }).headers;
        if (headers) reply.headers(headers);
        throw error;
      }
      reply.headers(ticket.headers);
      // 'close' fires once whether the answer was sent or the client went away (so `on`, not
      // `once`: no wrapper to build and remove on every request; release is idempotent anyway).
      reply.raw.on('close', ticket.release);
      plans.set(request, ticket.plan);
      await precheckQuota(store, keyId, ticket.plan, now());
    },
    limitIp(request, reply, done) {
      let admission: Admission | Promise<Admission>;
      try {
        admission = limiter.admitNow({
          subject: `ip:${request.ip}`,
          rate: { limit: config.authRpmPerIp, windowSeconds: 60, policy: 'auth-per-ip' },
        });
      } catch (refusal) {
        return refuseLater(reply, refusal as Error, done);
      }
      if (!(admission instanceof Promise)) {
        reply.headers(admission.headers);
        return done();
      }
      admission.then(
        (admitted) => {
          reply.headers(admitted.headers);
          done();
        },
        (refusal: unknown) => refuseLater(reply, refusal as Error, done),
      );
    },
  };
}
