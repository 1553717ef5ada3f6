import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { type ApiError, isApiError } from 'faultline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpAnalyzer } from '../../src/analysis/http-analyzer.ts';
import type { AnalysisResult } from '../../src/analysis/types.ts';
import type { MediaInfo } from '../../src/media/media-info.ts';
import { fixturePath } from '../fixtures/index.ts';
import { fixtureBytes } from '../media/helpers.ts';

/** A model service double on a real socket; each test sets how it answers. */
let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};
let server: Server;
let url: string;
const seen: { method: string | undefined; headers: IncomingMessage['headers']; body: Buffer }[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    handler(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/analyze`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const media: MediaInfo = {
  container: 'mp4',
  sizeBytes: 66_095,
  durationSeconds: 8,
  video: { index: 0, codec: 'h264', width: 320, height: 240, fps: 12 },
  audio: { index: 1, codec: 'aac', sampleRate: 16_000, channels: 1 },
};
const MODEL_ANSWER: AnalysisResult = {
  signals: [{ type: 'social.agreement', start: 1, end: 2.5, probability: 0.81, rationale: 'nodding' }],
  engagement_state: [{ state: 'engaged', start: 0, end: 8, probability: 0.7, rationale: 'gaze on camera' }],
  conversation_quality: { overall: { speech_ratio: 0.6 } as never },
};

function answer(status: number, body: string, headers: Record<string, string> = {}) {
  handler = async (req, res) => {
    seen.push({ method: req.method, headers: req.headers, body: await buffer(req) });
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
  };
}

async function run(options: { signal?: AbortSignal; url?: string; maxResponseBytes?: number } = {}) {
  const analyzer = createHttpAnalyzer({
    url: options.url ?? url,
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
  });
  return analyzer.analyze(fixturePath('good.mp4'), media, {
    include: ['conversation_quality_overall'],
    signal: options.signal ?? AbortSignal.timeout(10_000),
    correlationId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
  });
}

async function failure(options: Parameters<typeof run>[0] = {}): Promise<ApiError> {
  const error = await run(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isApiError(error)) throw new Error(`expected a catalog error, got ${String(error)}`);
  return error;
}

describe('http analyzer against a real model service', () => {
  it('posts the raw file with its type, size, correlation id and include list, and relays the answer', async () => {
    seen.length = 0;
    answer(200, JSON.stringify({ ...MODEL_ANSWER, internal_debug: 'dropped' }));
    const result = await run();
    expect(result).toEqual(MODEL_ANSWER);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.headers?.['content-type']).toBe('video/mp4');
    expect(request?.headers?.['content-length']).toBe(String(fixtureBytes('good.mp4').length));
    expect(request?.headers?.['x-correlation-id']).toBe('f47ac10b-58cc-4372-a567-0e02b2c3d479');
    expect(request?.headers?.['x-signals-include']).toBe('conversation_quality_overall');
    expect(request?.body?.equals(fixtureBytes('good.mp4'))).toBe(true);
  });

  it('ih1001 when the service does not answer before the deadline', async () => {
    handler = () => {}; // holds the request open
    const error = await failure({ signal: AbortSignal.timeout(150) });
    expect(error.id).toBe('ih1001');
  });

  it('ih1002 with the service’s Retry-After on a 503', async () => {
    answer(503, '{"error":"warming up"}', { 'retry-after': '7' });
    const error = await failure();
    expect(error.id).toBe('ih1002');
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.message).not.toMatch(/warming/);
  });

  it('ih1002 with the catalog delay on a 500 without Retry-After, and on 429', async () => {
    answer(500, 'oops');
    expect((await failure()).retryAfterSeconds).toBe(30);
    answer(429, '{}', { 'retry-after': '2' });
    const limited = await failure();
    expect([limited.id, limited.retryAfterSeconds]).toEqual(['ih1002', 2]);
  });

  it('ih5007 when the service refuses the content (422, 400, 415)', async () => {
    for (const status of [422, 400, 415]) {
      answer(status, '{"reason":"no face found"}');
      const error = await failure();
      expect(error.id).toBe('ih5007');
      expect(error.message).toContain(`HTTP ${status}`);
    }
  });

  it('ih1001 when our own configuration is wrong (401, 404)', async () => {
    for (const status of [401, 404]) {
      answer(status, '{}');
      expect((await failure()).id).toBe('ih1001');
    }
  });

  it('ih1001 when the answer breaks the protocol', async () => {
    for (const body of [
      'not json',
      '[]',
      '{"signals":{}}',
      '{"signals":[{"type":"x","start":2,"end":1,"probability":0.5,"rationale":""}]}',
      '{"signals":[],"engagement_state":[{"start":0,"end":1,"probability":2,"rationale":"","state":"x"}]}',
    ]) {
      answer(200, body);
      expect((await failure()).id, body).toBe('ih1001');
    }
  });

  it('ih1001 when the answer is larger than we agree to read', async () => {
    answer(200, JSON.stringify({ signals: [], engagement_state: [], padding: 'x'.repeat(20_000) }));
    expect((await failure({ maxResponseBytes: 10_000 })).id).toBe('ih1001');
  });

  it('ih1002 when the service is unreachable or hangs up mid-answer', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    expect((await failure({ url: `http://127.0.0.1:${port}/analyze` })).id).toBe('ih1002');

    handler = async (req, res) => {
      await buffer(req);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"signals":[');
      res.socket?.destroy();
    };
    expect((await failure()).id).toBe('ih1002');
  });
});
