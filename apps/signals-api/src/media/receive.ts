import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { isApiError } from 'faultline';
import { INCLUDE_OPTIONS, type IncludeOption, isIncludeOption } from '../analysis/types.ts';
import { signals } from '../catalog.ts';
import { type Container, containerForName } from './containers.ts';
import { createUploadGate } from './gate.ts';

/** What a well-formed upload request carried. */
export interface ReceivedUpload {
  /** The client's file name (for logs only; it never names anything on disk). */
  readonly filename: string;
  /** Sniffed from the content, within the family the name claimed. */
  readonly container: Container;
  readonly bytes: number;
  /** `include[]` values, deduplicated, in the order sent. */
  readonly include: readonly IncludeOption[];
}

/** Options of `receiveUpload`. */
export interface ReceiveOptions {
  /** Where the file is written; the caller owns it and removes it on every path. */
  readonly path: string;
  /** Largest file accepted (ih4003 past it). */
  readonly maxBytes: number;
  /** Longest silence between two pieces of the body (ih4001 past it). Default: none. */
  readonly idleTimeoutMs?: number;
  /** Longest the whole body may take to arrive (ih4001 past it). Default: none. */
  readonly totalTimeoutMs?: number;
}

/**
 * Room for boundaries, part headers and the small `include[]` fields around the file.
 * @example const rawLimit = config.maxUploadBytes + FORM_OVERHEAD_BYTES;
 */
export const FORM_OVERHEAD_BYTES = 64 * 1024;
/** Longest piece of client input quoted back in an error message. */
const MAX_ECHO = 100;

/**
 * Reads a `multipart/form-data` upload: the video (field `file`) is streamed to
 * `options.path` through the upload gate, never held in memory; `include[]` fields are
 * validated. Errors: not multipart, no file, broken form → ih4001; file name or content
 * not a supported video → ih4002; too large (multipart limit, gate count, or the raw body
 * passing the limit plus form overhead) → ih4003, as soon as it happens; any other field,
 * a bad `include[]` value or a second file → ih4005 naming it; a body that stalls longer
 * than `idleTimeoutMs` or arrives slower than `totalTimeoutMs` → ih4001 (the file never
 * arrived), at once, so the caller frees what it holds.
 * @example
 * const upload = await receiveUpload(request, { path: tmp, maxBytes: config.maxUploadBytes });
 */
export async function receiveUpload(
  request: FastifyRequest,
  options: ReceiveOptions,
): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw signals.error('ih4001', undefined, { cause: 'not multipart/form-data' });

  const parts = request.parts({
    limits: { fileSize: options.maxBytes, files: 4, fields: 16, fieldSize: 1024, parts: 24, headerPairs: 32 },
  });
  // A chunked body has no Content-Length to refuse up front; count what actually arrives,
  // including preamble and epilogue that busboy would otherwise skip for free.
  const tooMuch = new AbortController();
  const rawLimit = options.maxBytes + FORM_OVERHEAD_BYTES;
  let rawBytes = 0;
  const count = (chunk: Buffer) => {
    rawBytes += chunk.length;
    if (rawBytes > rawLimit && !tooMuch.signal.aborted)
      tooMuch.abort(signals.error('ih4003', undefined, { cause: `request body passed ${rawLimit} bytes` }));
  };
  request.raw.on('data', count);
  const timers = watchBody(request, options, tooMuch);

  const include: IncludeOption[] = [];
  let received: { filename: string; container: Container; bytes: number } | undefined;
  try {
    for (;;) {
      const step = await untilAborted(parts.next(), tooMuch.signal);
      if (step.done) break;
      const part: Multipart = step.value;
      if (part.type === 'field') {
        readField(part, include);
        continue;
      }
      if (received) {
        throw signals.error('ih4005', {
          name: echo(part.fieldname),
          reason: 'send exactly one file per request',
        });
      }
      if (part.fieldname !== 'file') {
        throw signals.error('ih4001', undefined, { cause: `file sent in field "${echo(part.fieldname)}"` });
      }
      const claimed = containerForName(part.filename);
      if (!claimed) {
        throw signals.error('ih4002', undefined, { cause: `file name "${echo(part.filename)}"` });
      }
      const gate = createUploadGate({ maxBytes: options.maxBytes, claimed });
      const out = createWriteStream(options.path, { flags: 'wx' });
      try {
        await pipeline(part.file, gate, out, { signal: tooMuch.signal });
      } finally {
        // A stream destroyed before its open finished still creates the file: wait for it to
        // close, so the caller's cleanup runs after the file exists, never before.
        if (!out.closed) await once(out, 'close');
      }
      if (part.file.truncated)
        throw signals.error('ih4003', undefined, { cause: 'multipart fileSize limit' });
      received = { filename: part.filename, ...gate.result() };
    }
  } catch (error) {
    throw asCatalogError(error, tooMuch.signal);
  } finally {
    request.raw.off('data', count);
    timers.stop();
  }
  if (!received) throw signals.error('ih4001', undefined, { cause: 'no part named "file"' });
  return { ...received, include };
}

/**
 * Aborts `stop` with ih4001 when the body goes quiet for `idleTimeoutMs` or is not complete
 * within `totalTimeoutMs`. Idle time restarts on every chunk, so a slow but steady upload lives.
 */
function watchBody(
  request: FastifyRequest,
  options: ReceiveOptions,
  stop: AbortController,
): { stop(): void } {
  const raw = request.raw;
  const fail = (cause: string) => {
    if (!stop.signal.aborted && !raw.complete) stop.abort(signals.error('ih4001', undefined, { cause }));
  };
  const { idleTimeoutMs, totalTimeoutMs } = options;
  let idle: NodeJS.Timeout | undefined;
  const arm = () => {
    if (idleTimeoutMs === undefined) return;
    clearTimeout(idle);
    idle = setTimeout(() => fail(`request body stalled: no bytes for ${idleTimeoutMs} ms`), idleTimeoutMs);
  };
  const total =
    totalTimeoutMs === undefined
      ? undefined
      : setTimeout(() => fail(`request body not complete within ${totalTimeoutMs} ms`), totalTimeoutMs);
  const onEnd = () => {
    clearTimeout(idle);
    clearTimeout(total);
  };
  arm();
  raw.on('data', arm);
  raw.once('end', onEnd);
  return {
    stop() {
      onEnd();
      raw.off('data', arm);
      raw.off('end', onEnd);
    },
  };
}

function readField(part: Extract<Multipart, { type: 'field' }>, include: IncludeOption[]): void {
  const name = part.fieldname;
  if (part.fieldnameTruncated)
    throw signals.error('ih4005', { name: echo(name), reason: 'the field name is too long' });
  if (name === 'file')
    throw signals.error('ih4001', undefined, { cause: 'field "file" holds text, not a file' });
  if (name !== 'include[]')
    throw signals.error('ih4005', {
      name: echo(name),
      reason: 'unknown form field; this endpoint takes "file" and optional "include[]" fields',
    });
  const value = String(part.value);
  if (part.valueTruncated || !isIncludeOption(value))
    throw signals.error('ih4005', {
      name: 'include[]',
      reason: `unknown value "${echo(value)}"; accepted values are ${INCLUDE_OPTIONS.join(' and ')}`,
    });
  if (!include.includes(value)) include.push(value);
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  promise.catch(() => {});
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Errors of @fastify/multipart and busboy, as the catalog names them. */
function asCatalogError(error: unknown, tooMuch: AbortSignal): unknown {
  if (tooMuch.aborted) return tooMuch.reason;
  if (isApiError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return signals.error('ih4003', undefined, { cause: error });
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return signals.error('ih4005', { name: 'form', reason: 'it has too many parts' }, { cause: error });
    case 'FST_PROTO_VIOLATION':
      return signals.error('ih4005', { name: 'form', reason: 'a field name is reserved' }, { cause: error });
    default:
      // Truncated or malformed multipart, or a client that hung up: no readable video part.
      return signals.error('ih4001', undefined, { cause: error });
  }
}

/** Client text quoted in a message: bounded, on one line. */
function echo(text: string | undefined): string {
  // \p{Cc}: control characters (newlines, escapes) have no place in a one-line message.
  const clean = (text ?? '').replace(/[\p{Cc}"]/gu, '?');
  return clean.length > MAX_ECHO ? `${clean.slice(0, MAX_ECHO)}…` : clean;
}
