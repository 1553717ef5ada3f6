import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignalsClient, type UploadProgress } from '../../src/client/index.ts';
import { fixturePath } from '../fixtures/index.ts';
import { type CreatedKey, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let key: CreatedKey;
beforeAll(async () => {
  server = await startServer();
  key = await server.createKey(['interhumanai.upload']);
});
afterAll(() => server?.stop());

/** A fetch that counts the requests per path, to see what the client really sends. */
function countingFetch() {
  const calls = new Map<string, number>();
  const wrapped: typeof fetch = (input, init) => {
    const path = new URL(String(input instanceof Request ? input.url : input)).pathname;
    calls.set(path, (calls.get(path) ?? 0) + 1);
    return fetch(input, init);
  };
  return { calls, fetch: wrapped };
}

describe('createSignalsClient against a running signals-api', () => {
  it('uploads with progress up to every byte, then the analysis; one token serves both uploads', async () => {
    const counting = countingFetch();
    const client = createSignalsClient({
      url: server.url,
      keyId: key.key_id,
      keySecret: key.key_secret,
      fetch: counting.fetch,
    });
    const progress: UploadProgress[] = [];
    const analysis = await client.upload(fixturePath('good.mp4'), {
      include: ['conversation_quality_overall'],
      onProgress: (p) => progress.push(p),
    });
    expect(analysis.video.container).toBe('mp4');
    expect(analysis.conversation_quality).toBeDefined();
    expect(progress[0]).toMatchObject({ sent: 0, phase: 'uploading' });
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ phase: 'analyzing' });
    expect(last.sent).toBe(last.total);
    const sent = progress.map((p) => p.sent);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    await client.upload(
      new Blob([await (await import('node:fs/promises')).readFile(fixturePath('good.webm'))]),
      {
        filename: 'good.webm',
      },
    );
    expect(counting.calls.get('/v0/auth')).toBe(1);
    expect(counting.calls.get('/v0/upload/analyze')).toBe(2);
  });

  it('a key without the scope gets the decoded ih2007, not a retry', async () => {
    const streamOnly = await server.createKey(['interhumanai.stream']);
    const client = createSignalsClient({
      url: server.url,
      keyId: streamOnly.key_id,
      keySecret: streamOnly.key_secret,
    });
    await expect(client.upload(fixturePath('good.mp4'))).rejects.toMatchObject({
      code: 'ih2007',
      attempts: 1,
    });
  });
});
