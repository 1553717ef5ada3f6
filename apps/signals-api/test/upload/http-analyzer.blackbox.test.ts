import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SHED_RETRY_AFTER_SECONDS } from '../../src/routes/upload.ts';
import {
  expectCatalogError,
  LEGACY_UNTIL,
  startServer,
  type TestServer,
  type TransitionMode,
} from '../support/server.ts';
import { spooled, uploadFixture, uploadToken } from './client.ts';

/** Deadline of one analysis on these servers: short, because one test waits it out. */
const ANALYZER_TIMEOUT_MS = 1000;

/** A model service on a real socket. Requests wait in `held` until a test answers them. */
interface Held {
  readonly body: Buffer;
  readonly headers: IncomingMessage['headers'];
  readonly res: ServerResponse;
}

describe.each(['legacy', 'structured'] as const)(
  'POST /v0/upload/analyze, http analyzer (%s errors)',
  (mode: TransitionMode) => {
    let model: Server;
    let server: TestServer;
    let token: string;
    let arrivals: ((held: Held) => void)[] = [];
    const held: Held[] = [];
    const expectError = (res: Response, id: string) => expectCatalogError(res, id, { transitionMode: mode });

    /** Resolves when the model service has received the next request (body read). */
    const nextArrival = () => new Promise<Held>((done) => arrivals.push(done));

    beforeAll(async () => {
      model = createServer(async (req, res) => {
        const entry = { body: await buffer(req), headers: req.headers, res };
        held.push(entry);
        arrivals.shift()?.(entry);
      });
      await new Promise<void>((done) => model.listen(0, '127.0.0.1', done));
      server = await startServer({
        SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL[mode],
        SIGNALS_ANALYZER: 'http',
        SIGNALS_ANALYZER_URL: `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1/analyze`,
        SIGNALS_ANALYZER_TIMEOUT_MS: String(ANALYZER_TIMEOUT_MS),
        SIGNALS_MAX_IN_FLIGHT_ANALYSES: '1',
      });
      token = await uploadToken(server);
    });
    afterEach(() => {
      for (const entry of held.splice(0)) if (!entry.res.writableEnded) entry.res.destroy();
      arrivals = [];
      expect(spooled(server)).toEqual([]);
    });
    afterAll(async () => {
      await server?.stop();
      model?.closeAllConnections();
      await new Promise((done) => model?.close(done));
    });

    const reply = (entry: Held, status: number, body: unknown, headers: Record<string, string> = {}) =>
      entry.res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(body));

    it('forwards the video and relays the model’s signals', async () => {
      const arrived = nextArrival();
      const pending = uploadFixture(server, token, 'good.webm');
      const request = await arrived;
      expect(request.headers['content-type']).toBe('video/webm');
      expect(request.body.length).toBe(Number(request.headers['content-length']));
      const signals = [
        { type: 'model.attention', start: 0, end: 8, probability: 0.9, rationale: 'model output' },
      ];
      reply(request, 200, { signals, engagement_state: [] });
      const res = await pending;
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        analyzer: 'http',
        signals,
        engagement_state: [],
        video: { container: 'webm' },
      });
      expect(request.headers['x-correlation-id']).toBe(body['correlation_id']);
    });

    it('ih1002: sheds load once SIGNALS_MAX_IN_FLIGHT_ANALYSES analyses are running', async () => {
      const arrived = nextArrival();
      const first = uploadFixture(server, token, 'good.mp4');
      const running = await arrived; // the first analysis is now in flight at the model
      const shed = await uploadFixture(server, token, 'good.mov');
      await expectError(shed, 'ih1002');
      expect(shed.headers.get('retry-after')).toBe(String(SHED_RETRY_AFTER_SECONDS));
      reply(running, 200, { signals: [], engagement_state: [] });
      expect((await first).status).toBe(200);
      // The slot is free again.
      const again = nextArrival();
      const third = uploadFixture(server, token, 'good.mov');
      reply(await again, 200, { signals: [], engagement_state: [] });
      expect((await third).status).toBe(200);
    });

    it('ih1001: the model does not answer within SIGNALS_ANALYZER_TIMEOUT_MS', async () => {
      const arrived = nextArrival();
      const res = await uploadFixture(server, token, 'good.mp4');
      await arrived;
      await expectError(res, 'ih1001');
    });

    it('ih1002: the model is unavailable (503), with its Retry-After', async () => {
      const arrived = nextArrival();
      const pending = uploadFixture(server, token, 'good.mp4');
      reply(await arrived, 503, { error: 'overloaded' }, { 'retry-after': '9' });
      const res = await pending;
      await expectError(res, 'ih1002');
      expect(res.headers.get('retry-after')).toBe('9');
    });

    it('ih5007: the model refuses the content (422)', async () => {
      const arrived = nextArrival();
      const pending = uploadFixture(server, token, 'good.mp4');
      reply(await arrived, 422, { error: 'no person in frame' });
      const body = await expectError(await pending, 'ih5007');
      expect(body['message']).not.toMatch(/person/);
    });

    it('ih5007 without asking the model: the file has no video stream', async () => {
      await expectError(await uploadFixture(server, token, 'audio-only.mp4'), 'ih5007');
      expect(held).toHaveLength(0);
    });
  },
);
