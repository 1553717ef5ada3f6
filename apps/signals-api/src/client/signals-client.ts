import {
  type Client,
  createClient,
  type RetryBudget,
  type RetryDecision,
  type RetryPolicy,
} from 'faultline/client';
import { uploadBody } from './multipart.ts';
import { type StreamOptions, type StreamSource, type StreamSummary, streamSegments } from './stream.ts';
import { TokenCache, type TokenGrant } from './tokens.ts';
import type { Analysis, IncludeOption, SignalsScope, UploadProgress } from './types.ts';

/**
 * Options of `createSignalsClient`.
 * @example createSignalsClient({ url: 'http://127.0.0.1:8080', keyId, keySecret } satisfies SignalsClientOptions)
 */
export interface SignalsClientOptions {
  /** Origin of the service, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly keyId: string;
  readonly keySecret: string;
  readonly fetch?: typeof fetch;
  /** Injected clock (token expiry, deadlines). */
  readonly now?: () => number;
  /** Injected sleep for retry waits (tests). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly policy?: Partial<RetryPolicy>;
  readonly budget?: RetryBudget | false;
  /** Called before each retry of an HTTP call (the CLI shows it). */
  readonly onRetry?: (info: { attempt: number; decision: RetryDecision }) => void;
  /** WebSocket constructor for `stream` (default: the global one). */
  readonly WebSocket?: StreamOptions['WebSocket'];
}

/**
 * Options of `SignalsClient.upload`.
 * @example await client.upload('clip.mp4', { include: ['conversation_quality_overall'], onProgress: console.log });
 */
export interface UploadOptions {
  readonly include?: readonly IncludeOption[];
  readonly onProgress?: (progress: UploadProgress) => void;
  readonly signal?: AbortSignal;
  /** Name sent for the file (default: the path's base name, or the File's name). */
  readonly filename?: string;
}

/**
 * A typed client of signals-api.
 * @example const client = createSignalsClient({ url, keyId, keySecret }); const analysis = await client.upload('clip.mp4');
 */
export interface SignalsClient {
  /** A bearer token for a scope: cached, renewed before it expires. */
  token(scope: SignalsScope): Promise<string>;
  /** Uploads a video (a path in Node, or a Blob/File) and resolves to its analysis. */
  upload(file: string | Blob, options?: UploadOptions): Promise<Analysis>;
  /** Streams segments over the WebSocket API, reconnecting across server restarts. */
  stream(
    source: StreamSource,
    options?: Omit<StreamOptions, 'WebSocket' | 'token' | 'url'>,
  ): Promise<StreamSummary>;
}

/**
 * Creates the client. Every HTTP call goes through `faultline/client`: errors are decoded,
 * retries happen only when safe (an upload is sent again only after a 429 or a 503 with
 * Retry-After, i.e. when the server did nothing with it), and a 401 renews the token once.
 * @example
 * const client = createSignalsClient({ url: 'http://127.0.0.1:8080', keyId: process.env.SIGNALS_KEY_ID!, keySecret: process.env.SIGNALS_KEY_SECRET! });
 * const { signals } = await client.upload('meeting.mp4', { onProgress: (p) => console.log(p.sent, p.total) });
 */
export function createSignalsClient(options: SignalsClientOptions): SignalsClient {
  const url = options.url.replace(/\/+$/, '');
  const common = {
    baseUrl: url,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.budget !== undefined ? { budget: options.budget } : {}),
  };
  const http: Client = createClient({
    ...common,
    ...(options.onRetry
      ? { onRetry: ({ attempt, decision }) => options.onRetry?.({ attempt, decision }) }
      : {}),
  });
  const caches = new Map<SignalsScope, TokenCache>();
  const cacheFor = (scope: SignalsScope) => {
    let cache = caches.get(scope);
    if (!cache) {
      cache = new TokenCache({
        fetchToken: () =>
          http.json<TokenGrant>('/v0/auth', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ key_id: options.keyId, key_secret: options.keySecret, scopes: [scope] }),
          }),
        ...(options.now ? { now: options.now } : {}),
      });
      caches.set(scope, cache);
    }
    return cache;
  };
  const authed = (
    scope: SignalsScope,
    onRetry?: (info: { attempt: number; decision: RetryDecision }) => void,
  ) =>
    createClient({
      ...common,
      budget: http.budget ?? false,
      headers: async () => ({ authorization: `Bearer ${await cacheFor(scope).get()}` }),
      refreshAuth: () => cacheFor(scope).invalidate(),
      onRetry: ({ attempt, decision }) => {
        options.onRetry?.({ attempt, decision });
        onRetry?.({ attempt, decision });
      },
    });

  return {
    token: (scope) => cacheFor(scope).get(),

    async upload(file, uploadOptions = {}) {
      const blob = typeof file === 'string' ? await openFile(file) : file;
      const filename = uploadOptions.filename ?? (typeof file === 'string' ? baseName(file) : fileName(file));
      const body = uploadBody(blob, filename, uploadOptions.include ?? []);
      const report = uploadOptions.onProgress;
      const api = authed('interhumanai.upload', ({ decision }) => {
        if (decision.retry)
          report?.({ sent: 0, total: body.length, phase: 'retrying', waitMs: decision.delayMs });
      });
      report?.({ sent: 0, total: body.length, phase: 'uploading' });
      return api.json<Analysis>('/v0/upload/analyze', {
        method: 'POST',
        headers: { 'content-type': body.contentType, 'content-length': String(body.length) },
        // A fresh stream per attempt: the file is read again, never a half-consumed stream re-sent.
        body: () =>
          body.stream((sent) =>
            report?.({ sent, total: body.length, phase: sent >= body.length ? 'analyzing' : 'uploading' }),
          ),
        ...(uploadOptions.signal ? { signal: uploadOptions.signal } : {}),
      });
    },

    stream(source, streamOptions = {}) {
      return streamSegments(source, {
        ...streamOptions,
        url: `${url.replace(/^http/, 'ws')}/v0/stream/analyze`,
        token: (fresh) => {
          const cache = cacheFor('interhumanai.stream');
          if (fresh) cache.invalidate();
          return cache.get();
        },
        ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
        ...(options.random ? { random: options.random } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
      });
    },
  };
}

async function openFile(path: string): Promise<Blob> {
  // Loaded on demand so the client stays usable in browsers, where files are Blobs.
  const { openAsBlob } = await import('node:fs');
  return openAsBlob(path);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || 'video';
}

function fileName(blob: Blob): string {
  const name = (blob as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : 'video';
}
