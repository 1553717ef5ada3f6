import { openAsBlob } from 'node:fs';
import { isApiError, parseRetryAfter } from 'faultline';
import { signals } from '../catalog.ts';
import type { Container } from '../media/containers.ts';
import type { Analyzer } from './types.ts';
import { parseAnalysisResult } from './validate.ts';

/** Options of `createHttpAnalyzer`. */
export interface HttpAnalyzerOptions {
  /** The model service endpoint (`SIGNALS_ANALYZER_URL`). */
  readonly url: string;
  /** Largest answer we read from the model service; a bigger one is a broken service. */
  readonly maxResponseBytes?: number;
}

const MIME: Readonly<Record<Container, string>> = {
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
  mpegts: 'video/mp2t',
};

/**
 * Forwards the file to a model service and relays its verdict. The protocol:
 * `POST <url>` with the raw video as the body (`Content-Type: video/…`, `Content-Length`),
 * `X-Correlation-ID`, and `X-Signals-Include` (comma-separated `include[]` values, if any);
 * the answer is `200 {signals, engagement_state, conversation_quality?}`.
 * Failures: the request's deadline or abort → ih1001; unreachable, 5xx, 408, 429 → ih1002
 * (with the service's Retry-After when it gives one); 401/403/404/405 (our configuration
 * is wrong) or an answer that breaks the protocol → ih1001; any other 4xx, 422 included,
 * is a refusal of the content → ih5007.
 * @example
 * const analyzer = createHttpAnalyzer({ url: config.analyzerUrl! });
 */
export function createHttpAnalyzer(options: HttpAnalyzerOptions): Analyzer {
  const maxBytes = options.maxResponseBytes ?? 8 * 1024 * 1024;
  return {
    name: 'http',
    async analyze(file, media, { include, signal, correlationId }) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (correlationId) headers['x-correlation-id'] = correlationId;
      if (include.length) headers['x-signals-include'] = include.join(',');
      let response: Response;
      try {
        const body = await openAsBlob(file, { type: MIME[media.container] });
        response = await fetch(options.url, { method: 'POST', body, headers, signal, redirect: 'error' });
      } catch (error) {
        if (signal.aborted) throw signals.error('ih1001', undefined, { cause: signal.reason ?? error });
        throw signals.error('ih1002', undefined, { cause: error });
      }
      const text = await readCapped(response, maxBytes, signal);
      if (response.ok) {
        const result = parseAnalysisResult(text);
        if (!result.ok)
          throw signals.error('ih1001', undefined, { cause: `model service: ${result.problem}` });
        return result.value;
      }
      throw failureFor(response, text);
    },
  };
}

function failureFor(response: Response, text: string): Error {
  const status = response.status;
  const cause = `model service answered ${status}: ${text.slice(0, 500)}`;
  if (status >= 500 || status === 408 || status === 429) {
    const waitMs = parseRetryAfter(response.headers.get('retry-after'));
    return signals.error('ih1002', undefined, {
      cause,
      ...(waitMs === undefined ? {} : { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }),
    });
  }
  if ([401, 403, 404, 405].includes(status)) return signals.error('ih1001', undefined, { cause });
  return signals.error('ih5007', { reason: `the model service declined it (HTTP ${status})` }, { cause });
}

/** The body as text, refusing to buffer more than `max` bytes. */
async function readCapped(response: Response, max: number, signal: AbortSignal): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > max) {
        await response.body.cancel().catch(() => {});
        throw signals.error('ih1001', undefined, { cause: `model service answer over ${max} bytes` });
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (isApiError(error)) throw error;
    if (signal.aborted) throw signals.error('ih1001', undefined, { cause: signal.reason ?? error });
    // The connection broke mid-answer: the service is in trouble, not the request.
    throw signals.error('ih1002', undefined, { cause: error });
  }
  return Buffer.concat(chunks).toString('utf8');
}
