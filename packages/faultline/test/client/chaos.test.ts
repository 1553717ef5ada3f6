import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, RetryBudget } from '../../src/client/index.ts';
import { json, recorder, type ScriptedServer, scriptedServer } from './server.ts';

/**
 * Chaos: a server that fails 30% of requests — 503 and 429 with `Retry-After` (nothing was
 * done) and 500 without (work may have been done). Whether an arrival fails is a hash of
 * (call id, arrival number), so the run is the same whatever order concurrent calls arrive in.
 */
const FAILURE_RATE = 0.3;

function roll(callId: string, arrival: number): number {
  return createHash('sha256').update(`${callId}/${arrival}`).digest().readUInt32BE(0) / 2 ** 32;
}

interface Ledger {
  arrivals: number;
  /** Arrivals the server acted on (answered 200, or 500 after doing part of the work). */
  processed: number;
  /** Arrivals that came after a 500 for the same call: a side effect possibly repeated. */
  afterPartial: number;
  sawPartial: boolean;
}

let srv: ScriptedServer;
const ledgers = new Map<string, Ledger>();
const keysPerCall = new Map<string, Set<string>>();

beforeAll(async () => {
  srv = await scriptedServer();
  srv.scripts.set('/chaos', (req, res) => {
    const callId = String(req.headers['x-call-id']);
    const ledger = ledgers.get(callId) ?? { arrivals: 0, processed: 0, afterPartial: 0, sawPartial: false };
    ledgers.set(callId, ledger);
    ledger.arrivals++;
    if (ledger.sawPartial) ledger.afterPartial++;
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string') keysPerCall.set(callId, (keysPerCall.get(callId) ?? new Set()).add(key));
    const r = roll(callId, ledger.arrivals);
    if (r < FAILURE_RATE / 3)
      return json(res, 503, { message: 'shedding', trace_id: callId }, { 'retry-after': '1' });
    if (r < (2 * FAILURE_RATE) / 3)
      return json(res, 429, { message: 'slow down', trace_id: callId }, { 'retry-after': '2' });
    ledger.processed++;
    if (r < FAILURE_RATE) {
      ledger.sawPartial = true;
      return json(res, 500, { message: 'broke halfway', trace_id: callId });
    }
    json(res, 200, { callId });
  });
});
afterAll(() => srv.close());

async function runAll(count: number, call: (i: number) => Promise<unknown>, concurrency = 8) {
  const results: Array<{ ok: boolean; error?: unknown }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await call(i).then(
          () => ({ ok: true }),
          (error: unknown) => ({ ok: false, error }),
        );
      }
    }),
  );
  return results;
}

describe('chaos: 30% of requests fail with 503/429 (+Retry-After) or 500', () => {
  it('every idempotent call succeeds, and total attempts stay within the shared retry budget', async () => {
    const budget = new RetryBudget({ capacity: 200, retryCost: 5, successReward: 1 });
    const { sleep, sleeps } = recorder();
    const client = createClient({
      baseUrl: srv.base,
      sleep,
      budget,
      random: () => 0.5,
      policy: { maxAttempts: 10 },
    });
    const calls = 200;
    const results = await runAll(calls, (i) =>
      client.request('/chaos', { headers: { 'x-call-id': `get-${i}` } }),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const attempts = [...ledgers]
      .filter(([id]) => id.startsWith('get-'))
      .reduce((n, [, l]) => n + l.arrivals, 0);
    // Retries happened, each paid from the budget; none beyond what it could afford
    // (a success gives back at most one retry's cost).
    expect(attempts).toBeGreaterThan(calls);
    expect(attempts - calls).toBe(budget.retries);
    expect(budget.retries * 5).toBeLessThanOrEqual(200 + calls * 5);
    expect(sleeps.length).toBe(budget.retries);
  });

  it('the budget caps the traffic when the dependency keeps failing', async () => {
    srv.scripts.set('/dead', (_q, res) =>
      json(res, 503, { message: 'down', trace_id: 't' }, { 'retry-after': '1' }),
    );
    const budget = new RetryBudget({ capacity: 50, retryCost: 5 });
    const client = createClient({
      baseUrl: srv.base,
      sleep: recorder().sleep,
      budget,
      policy: { maxAttempts: 10 },
    });
    await runAll(100, (i) => client.request('/dead', { headers: { 'x-call-id': `dead-${i}` } }));
    // 100 calls, 10 affordable retries: 110 requests, not the 1000 that maxAttempts alone allows.
    expect(srv.hits.get('/dead')).toHaveLength(110);
  });

  it('a POST without an idempotency key is never processed twice, and never sent again after a 500', async () => {
    const client = createClient({ baseUrl: srv.base, sleep: recorder().sleep, policy: { maxAttempts: 10 } });
    const results = await runAll(150, (i) =>
      client.request('/chaos', { method: 'POST', body: `n=${i}`, headers: { 'x-call-id': `post-${i}` } }),
    );
    const posts = [...ledgers].filter(([id]) => id.startsWith('post-')).map(([, l]) => l);
    expect(posts).toHaveLength(150);
    for (const ledger of posts) {
      expect(ledger.processed).toBeLessThanOrEqual(1);
      expect(ledger.afterPartial).toBe(0);
    }
    // Some POSTs were sent again after a 429/503 (refused, not processed), and some failed on a 500.
    expect(posts.some((l) => l.arrivals > 1)).toBe(true);
    expect(results.some((r) => !r.ok)).toBe(true);
    expect(results.filter((r) => r.ok).length).toBe(posts.filter((l) => !l.sawPartial).length);
  });

  it('a POST with an idempotency key is retried, even after a 500, and the server sees one key per call', async () => {
    const client = createClient({ baseUrl: srv.base, sleep: recorder().sleep, policy: { maxAttempts: 10 } });
    const results = await runAll(150, (i) =>
      client.request('/chaos', {
        method: 'POST',
        idempotencyKey: true,
        headers: { 'x-call-id': `key-${i}` },
      }),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const keyed = [...ledgers].filter(([id]) => id.startsWith('key-'));
    expect(keyed.some(([, l]) => l.sawPartial && l.arrivals > 1)).toBe(true);
    for (const [id] of keyed) expect(keysPerCall.get(id)?.size).toBe(1);
    expect(new Set(keyed.map(([id]) => [...keysPerCall.get(id)!][0])).size).toBe(150);
  });
});
