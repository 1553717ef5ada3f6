import { describe, expect, it } from 'vitest';
import {
  type DecodedError,
  decideRetry,
  defaultRetryPolicy,
  type RetryPolicy,
} from '../../src/client/index.ts';

const error = (status: number, extra: Partial<DecodedError> = {}): DecodedError => ({
  format: 'x',
  status,
  code: undefined,
  message: 'm',
  requestId: undefined,
  link: undefined,
  retryAfterMs: undefined,
  fields: {},
  ...extra,
});
const delays = (policy: RetryPolicy, e: DecodedError, idempotent = true) => {
  const out: Array<number | string> = [];
  for (let attempt = 1; attempt <= 10; attempt++) {
    const d = decideRetry({ error: e, attempt, idempotent, random: () => 0.5 }, policy);
    out.push(d.retry ? d.delayMs : d.reason);
    if (!d.retry) break;
  }
  return out;
};

describe('the seeds’ client rules, written as RetryPolicy values', () => {
  it('001: Retry-After or 2^(n-1) s, plus 0–1 s jitter either way; 5 retries for NO_AVAILABLE_WORKERS and RATE_LIMITED, one for INTERNAL_ERROR, none otherwise', () => {
    const policy: RetryPolicy = {
      ...defaultRetryPolicy,
      maxAttempts: 1,
      retryStatuses: new Set(),
      jitter: { maxMs: 1000, serverDelays: true },
      byCode: {
        NO_AVAILABLE_WORKERS: { retry: true, maxAttempts: 6, notProcessed: true },
        RATE_LIMITED: { retry: true, maxAttempts: 6 },
        INTERNAL_ERROR: { retry: true, maxAttempts: 2, notProcessed: true },
      },
    };
    expect(delays(policy, error(503, { code: 'NO_AVAILABLE_WORKERS' }), false)).toEqual([
      1500,
      2500,
      4500,
      8500,
      16_500,
      'attempts-exhausted',
    ]);
    expect(delays(policy, error(500, { code: 'INTERNAL_ERROR' }), false)).toEqual([
      1500,
      'attempts-exhausted',
    ]);
    expect(delays(policy, error(429, { code: 'RATE_LIMITED', retryAfterMs: 7000 }))).toEqual([
      7500,
      7500,
      7500,
      7500,
      7500,
      'attempts-exhausted',
    ]);
    expect(delays(policy, error(429, { code: 'SESSION_LIMIT' }))).toEqual(['not-retryable']);
    expect(delays(policy, error(0, { format: 'network', code: 'timeout' }))).toEqual(['attempts-exhausted']);
  });

  it('003: 429/500/502/503 only, 1 s doubling, 3 attempts', () => {
    const policy: RetryPolicy = {
      ...defaultRetryPolicy,
      jitter: 'none',
      retryStatuses: new Set([429, 500, 502, 503]),
    };
    expect(delays(policy, error(502))).toEqual([1000, 2000, 'attempts-exhausted']);
    expect(delays(policy, error(504))).toEqual(['not-retryable']);
  });

  it('004: 5xx at 1, 2, 4, 8 s then give up; 429 once after Retry-After; other 4xx never', () => {
    const policy: RetryPolicy = {
      ...defaultRetryPolicy,
      jitter: 'none',
      maxAttempts: 5,
      byStatus: { 429: { maxAttempts: 2, requireServerDelay: true } },
    };
    expect(delays(policy, error(500))).toEqual([1000, 2000, 4000, 8000, 'attempts-exhausted']);
    expect(delays(policy, error(429, { retryAfterMs: 3000 }))).toEqual([3000, 'attempts-exhausted']);
    expect(delays(policy, error(429))).toEqual(['not-retryable']);
    expect(delays(policy, error(404))).toEqual(['not-retryable']);
  });
});

describe('decideRetry: safety and precedence', () => {
  it('a non-idempotent request is repeated on 429 and 503+Retry-After only', () => {
    expect(delays(defaultRetryPolicy, error(500, { retryAfterMs: 1000 }), false)).toEqual(['unsafe-method']);
    expect(delays(defaultRetryPolicy, error(503), false)).toEqual(['unsafe-method']);
    expect(delays(defaultRetryPolicy, error(503, { retryAfterMs: 1000 }), false)[0]).toBe(1000);
    expect(delays(defaultRetryPolicy, error(429), false)[0]).toBe(500);
    expect(delays(defaultRetryPolicy, error(0, { format: 'network', code: 'timeout' }), false)).toEqual([
      'unsafe-method',
    ]);
  });

  it('an explicit no wins over everything; an explicit yes makes a status retryable', () => {
    expect(delays(defaultRetryPolicy, error(503, { retryAfterMs: 1, shouldRetry: false }))).toEqual([
      'server-said-no',
    ]);
    expect(delays(defaultRetryPolicy, error(409, { shouldRetry: true }))[0]).toBe(500);
  });

  it('full jitter draws from [0, cap); server delays are exact; caps and deadlines fail fast', () => {
    const at = (random: number) =>
      decideRetry({ error: error(503), attempt: 2, idempotent: true, random: () => random });
    expect(at(0)).toMatchObject({ delayMs: 0 });
    expect(at(0.999)).toMatchObject({ delayMs: 1998 });
    const server = decideRetry({
      error: error(503, { retryAfterMs: 1234 }),
      attempt: 1,
      idempotent: true,
      random: () => 0.9,
    });
    expect(server).toEqual({ retry: true, delayMs: 1234, reason: 'server-delay' });
    expect(
      decideRetry({ error: error(503, { retryAfterMs: 3_600_000 }), attempt: 1, idempotent: true }),
    ).toMatchObject({ retry: false, reason: 'delay-too-long' });
    expect(
      decideRetry({
        error: error(503, { retryAfterMs: 5000 }),
        attempt: 1,
        idempotent: true,
        remainingMs: 4000,
      }),
    ).toMatchObject({ retry: false, reason: 'deadline' });
  });

  it('jitter: none is the exact backoff; { maxMs } adds [0, maxMs) to it, and to a server delay only when asked', () => {
    const at = (jitter: RetryPolicy['jitter'], extra: Partial<DecodedError> = {}) =>
      decideRetry(
        { error: error(503, extra), attempt: 3, idempotent: true, random: () => 0.75 },
        {
          ...defaultRetryPolicy,
          maxAttempts: 5,
          jitter,
        },
      );
    expect(at('none')).toMatchObject({ delayMs: 4000, reason: 'backoff' });
    expect(at('full')).toMatchObject({ delayMs: 3000, reason: 'backoff' });
    expect(at({ maxMs: 400 })).toMatchObject({ delayMs: 4300, reason: 'backoff' });
    expect(at({ maxMs: 400 }, { retryAfterMs: 2000 })).toMatchObject({
      delayMs: 2000,
      reason: 'server-delay',
    });
    expect(at({ maxMs: 400, serverDelays: true }, { retryAfterMs: 2000 })).toMatchObject({
      delayMs: 2300,
      reason: 'server-delay',
    });
    // An override's jitter wins over the policy's.
    const policy: RetryPolicy = {
      ...defaultRetryPolicy,
      jitter: 'full',
      byStatus: { 503: { jitter: 'none' } },
    };
    expect(
      decideRetry({ error: error(503), attempt: 2, idempotent: true, random: () => 0 }, policy),
    ).toMatchObject({
      delayMs: 2000,
    });
  });

  it('notProcessed in an override lets a POST repeat on a documented error, or forbids it on a 429', () => {
    const policy: RetryPolicy = {
      ...defaultRetryPolicy,
      byCode: { BUSY: { notProcessed: true } },
      byStatus: { 429: { notProcessed: false } },
    };
    expect(delays(policy, error(503, { code: 'BUSY' }), false)).toHaveLength(3);
    expect(delays(policy, error(503, { code: 'OTHER' }), false)).toEqual(['unsafe-method']);
    expect(delays(policy, error(429, { retryAfterMs: 1000 }), false)).toEqual(['unsafe-method']);
    expect(delays(defaultRetryPolicy, error(429, { retryAfterMs: 1000 }), false)[0]).toBe(1000);
  });

  it('byCode wins over byStatus, which wins over the defaults; retry:false and neverCodes stop at once', () => {
    const policy: RetryPolicy = {
      ...defaultRetryPolicy,
      byStatus: { 503: { maxAttempts: 2 } },
      byCode: { BUSY: { maxAttempts: 4 }, GONE: { retry: false } },
      neverCodes: new Set(['NOPE']),
    };
    expect(delays(policy, error(503))).toHaveLength(2);
    expect(delays(policy, error(503, { code: 'BUSY' }))).toHaveLength(4);
    expect(delays(policy, error(503, { code: 'GONE' }))).toEqual(['not-retryable']);
    expect(delays(policy, error(503, { code: 'NOPE' }))).toEqual(['not-retryable']);
  });
});
