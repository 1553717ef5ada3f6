import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { streamSegments } from '../../src/client/index.ts';
import { type FakeStreamServer, fakeStreamServer } from './fake-stream-server.ts';

let srv: FakeStreamServer;
beforeAll(async () => {
  srv = await fakeStreamServer();
});
afterAll(() => srv.close());
beforeEach(() => {
  srv.sessions.length = 0;
  srv.plans.length = 0;
});

const seg = (n: number) => new Uint8Array(16).fill(n);
const parts = [seg(1), seg(2), seg(3)];

function options(extra: Partial<Parameters<typeof streamSegments>[1]> = {}) {
  const sleeps: number[] = [];
  return {
    sleeps,
    options: {
      url: `${srv.url.replace('http', 'ws')}/v0/stream/analyze`,
      token: async () => 'good',
      random: () => 0.5,
      sleep: async (ms: number) => void sleeps.push(ms),
      ...extra,
    },
  };
}

describe('streamSegments against a scripted session server', () => {
  it('sends the config, then one segment per completion, and closes the session when done', async () => {
    const events: string[] = [];
    const { options: o } = options({
      include: ['conversation_quality_overall'],
      onEvent: (e) => events.push(e.type),
    });
    const summary = await streamSegments(parts, o);
    expect(summary).toMatchObject({ segments: 3, reconnects: 0, failed: [] });
    expect(summary.sessions).toEqual([srv.sessions[0]!.id]);
    expect(srv.sessions).toHaveLength(1);
    expect(srv.sessions[0]!.segments.map((b) => b[0])).toEqual([1, 2, 3]);
    expect(srv.sessions[0]!.texts).toEqual([
      { type: 'session.config', include: ['conversation_quality_overall'] },
      { type: 'session.close' },
    ]);
    expect(events.filter((t) => t === 'segment.completed')).toHaveLength(3);
    expect(events[0]).toBe('session.ready');
  });

  it('ih6005 / close 1001: reconnects after a jittered wait and resends only the segment in flight', async () => {
    srv.plans.push({ goAwayOnSegment: { segment: 2 } });
    const { options: o, sleeps } = options();
    const summary = await streamSegments(parts, o);
    expect(summary).toMatchObject({ segments: 3, reconnects: 1 });
    expect(srv.sessions.map((s) => s.segments.map((b) => b[0]))).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(srv.sessions[0]!.closedWith).toBe(1001);
    expect(sleeps).toEqual([250]);
  });

  it('close 1012 (service restart) reconnects too', async () => {
    srv.plans.push({ goAwayOnSegment: { segment: 1, code: 1012 } });
    const { options: o } = options();
    const summary = await streamSegments(parts, o);
    expect(summary).toMatchObject({ segments: 3, reconnects: 1 });
    expect(srv.sessions.map((s) => s.segments.length)).toEqual([1, 3]);
  });

  it('ih6006: finishes the segment in flight, then continues on a new session', async () => {
    srv.plans.push({ warnOnSegment: 1 });
    const { options: o } = options();
    const summary = await streamSegments(parts, o);
    expect(summary).toMatchObject({ segments: 3, reconnects: 1 });
    expect(srv.sessions.map((s) => s.segments.map((b) => b[0]))).toEqual([[1], [2, 3]]);
    expect(srv.sessions[0]!.texts).toEqual([{ type: 'session.close' }]);
  });

  it('a refused upgrade with Retry-After (503): waits the server delay, unjittered, then streams', async () => {
    srv.plans.push({ refuse: { status: 503, id: 'ih1002', retryAfterSeconds: 2 } });
    const { options: o, sleeps } = options();
    const summary = await streamSegments(parts, o);
    expect(summary).toMatchObject({ segments: 3, reconnects: 1 });
    expect(sleeps).toEqual([2000]);
    expect(srv.sessions).toHaveLength(1);
  });

  it('a refused upgrade whose Retry-After is beyond maxServerDelayMs fails fast with the decoded error', async () => {
    srv.plans.push({ refuse: { status: 429, id: 'ih3001', retryAfterSeconds: 3600 } });
    const { options: o, sleeps } = options();
    const error = await streamSegments(parts, o).catch((e: unknown) => e);
    expect(error).toMatchObject({
      reason: 'delay-too-long',
      error: { status: 429, retryAfterMs: 3_600_000 },
    });
    expect(sleeps).toEqual([]);
    expect(srv.sessions).toHaveLength(0);
  });

  it('gives up after repeated drops without progress', async () => {
    for (let i = 0; i < 10; i++) srv.plans.push({ goAwayOnSegment: { segment: 1 } });
    const { options: o, sleeps } = options({ maxReconnects: 3 });
    const error = await streamSegments(parts, o).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'attempts-exhausted' });
    expect(srv.sessions).toHaveLength(4);
    // Full jitter over a doubling cap: 0.5 × 500, 1000, 2000.
    expect(sleeps).toEqual([250, 500, 1000]);
  });
});
