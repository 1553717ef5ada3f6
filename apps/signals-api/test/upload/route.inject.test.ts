import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { structured } from 'faultline';
import { faultlineFastify } from 'faultline/fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnalyzeOptions, Analyzer } from '../../src/analysis/types.ts';
import { signals } from '../../src/catalog.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { MediaInfo } from '../../src/media/media-info.ts';
import { uploadRoutes } from '../../src/routes/upload.ts';
import { fixturePath } from '../fixtures/index.ts';

const BOUNDARY = 'inject-boundary';

/** A multipart body built by hand, so the test controls every byte. */
function multipart(parts: readonly ([string, string] | [string, Buffer, string])[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.length === 3
        ? `form-data; name="${part[0]}"; filename="${part[2]}"\r\nContent-Type: application/octet-stream`
        : `form-data; name="${part[0]}"`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(typeof part[1] === 'string' ? Buffer.from(part[1]) : part[1]);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

describe('uploadRoutes with an injected analyzer (app.inject)', () => {
  let app: FastifyInstance;
  let spool: string;
  let calls: {
    file: string;
    media: MediaInfo;
    options: AnalyzeOptions;
    existed: boolean;
    aborted: boolean;
  }[];
  let behaviour: () => Promise<never> | Promise<Awaited<ReturnType<Analyzer['analyze']>>>;

  async function build(overrides: Partial<Config> = {}) {
    const config = { ...loadConfig({ SIGNALS_TMP_DIR: spool }), ...overrides };
    const analyzer: Analyzer = {
      name: 'fake',
      async analyze(file, media, options) {
        let existed = false;
        try {
          existed = readFileSync(file).length === media.sizeBytes;
        } catch {}
        calls.push({ file, media, options, existed, aborted: options.signal.aborted });
        return behaviour();
      },
    };
    app = Fastify();
    // As the app registers it: unknown failures become ih1001.
    await app.register(faultlineFastify, {
      catalog: signals,
      format: structured,
      docsBase: 'https://docs.test/errors',
      faults: { internal: () => signals.error('ih1001') },
    });
    await app.register(uploadRoutes, { config, authenticate: () => async () => {}, analyzer });
    await app.ready();
  }

  const post = (body: Buffer, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/v0/upload/analyze',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
      payload: body,
    });

  beforeEach(() => {
    spool = mkdtempSync(join(tmpdir(), 'signals-inject-'));
    calls = [];
    behaviour = async () => ({ signals: [], engagement_state: [] });
  });
  afterEach(async () => {
    await app?.close();
    expect(readdirSync(spool)).toEqual([]);
    rmSync(spool, { recursive: true, force: true });
  });

  it('hands the analyzer the spooled file, its MediaInfo, the include list and a live signal', async () => {
    await build();
    const body = multipart([
      ['include[]', 'conversation_quality_timeline'],
      ['file', readFileSync(fixturePath('good.mkv')), 'talk.mkv'],
      ['include[]', 'conversation_quality_timeline'],
    ]);
    const res = await post(body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ analyzer: 'fake', video: { container: 'mkv', video_codec: 'h264' } });
    const [call] = calls;
    expect(call?.existed).toBe(true);
    expect(call?.file.startsWith(spool)).toBe(true);
    expect(call?.options.include).toEqual(['conversation_quality_timeline']);
    expect(call?.aborted).toBe(false);
    expect(call?.options.correlationId).toBe(res.headers['x-correlation-id']);
  });

  it('answers ih1001 for an unexpected analyzer failure, without its text, and removes the file', async () => {
    await build();
    behaviour = async () => {
      throw new Error('segfault in /opt/model/lib.so');
    };
    const res = await post(multipart([['file', readFileSync(fixturePath('good.mp4')), 'a.mp4']]));
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error_id: 'ih1001' });
    expect(res.body).not.toMatch(/segfault|\/opt/);
  });

  it('passes catalog errors of the analyzer through unchanged', async () => {
    await build();
    behaviour = async () => {
      throw signals.error('ih5007', { reason: 'policy' });
    };
    const res = await post(multipart([['file', readFileSync(fixturePath('good.mp4')), 'a.mp4']]));
    expect(res.json()).toMatchObject({ error_id: 'ih5007' });
  });

  it('uses maxUploadBytes for the declared size and for the streamed file', async () => {
    await build({ maxUploadBytes: 100_000 });
    const avi = readFileSync(fixturePath('good.avi')); // 138 KB
    const declared = await post(multipart([['file', avi, 'a.avi']]));
    expect(declared.json()).toMatchObject({ error_id: 'ih4003' });
    // Under the declared limit (limit + 64 KB of form overhead), caught while streaming.
    const streamed = await post(multipart([['file', avi.subarray(0, 120_000), 'a.avi']]));
    expect(streamed.json()).toMatchObject({ error_id: 'ih4003' });
    expect(calls).toHaveLength(0);
  });

  it('answers ih1002 in maintenance mode before reading the body', async () => {
    await build({ maintenance: true });
    const res = await post(multipart([['file', readFileSync(fixturePath('good.mp4')), 'a.mp4']]));
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error_id: 'ih1002' });
    expect(res.headers['retry-after']).toBe('30');
  });
});
