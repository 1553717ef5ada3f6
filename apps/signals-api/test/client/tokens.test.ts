import { describe, expect, it } from 'vitest';
import { TokenCache, type TokenGrant } from '../../src/client/index.ts';

function setup(expiresIn = 900) {
  let clock = 1_000_000;
  let issued = 0;
  const releases: Array<() => void> = [];
  const cache = new TokenCache({
    now: () => clock,
    fetchToken: () =>
      new Promise<TokenGrant>((resolve) => {
        const n = ++issued;
        releases.push(() =>
          resolve({ access_token: `t${n}`, token_type: 'Bearer', expires_in: expiresIn, scope: 's' }),
        );
      }),
  });
  return {
    cache,
    issued: () => issued,
    release: () => releases.shift()?.(),
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('TokenCache', () => {
  it('fetches once for concurrent callers and reuses the token while it is fresh', async () => {
    const t = setup();
    const both = Promise.all([t.cache.get(), t.cache.get()]);
    t.release();
    expect(await both).toEqual(['t1', 't1']);
    t.advance(800_000);
    expect(await t.cache.get()).toBe('t1');
    expect(t.issued()).toBe(1);
  });

  it('renews proactively before expires_in: the old token is served while one renewal runs', async () => {
    const t = setup();
    const first = t.cache.get();
    t.release();
    await first;
    // 900 s lifetime, 60 s margin: at 850 s a renewal starts, the current token still answers.
    t.advance(850_000);
    expect(await t.cache.get()).toBe('t1');
    expect(await t.cache.get()).toBe('t1');
    expect(t.issued()).toBe(2);
    t.release();
    await new Promise((r) => setImmediate(r));
    expect(await t.cache.get()).toBe('t2');
  });

  it('waits for a new token once expired, and after invalidate()', async () => {
    const t = setup(10);
    const a = t.cache.get();
    t.release();
    await a;
    t.advance(10_000);
    const b = t.cache.get();
    t.release();
    expect(await b).toBe('t2');
    t.cache.invalidate();
    const c = t.cache.get();
    t.release();
    expect(await c).toBe('t3');
  });
});
