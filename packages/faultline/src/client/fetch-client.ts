import type { Catalog } from '../catalog/define.ts';
import { decodeError, parseBody } from '../formats/detect.ts';
import type { DecodedError } from '../formats/types.ts';
import { RetryBudget } from './budget.ts';
import { ResponseError } from './response-error.ts';
import { decideRetry, defaultRetryPolicy, type RetryDecision, type RetryPolicy } from './retry-policy.ts';

/** Options of `createClient`. */
export interface ClientOptions {
  /** Prefix of every request path. */
  readonly baseUrl: string;
  /** Headers sent with every request (e.g. authorization). */
  readonly headers?: Record<string, string> | (() => Record<string, string>);
  readonly policy?: Partial<RetryPolicy>;
  /** Shared between clients to cap retry load; pass `false` to disable. */
  readonly budget?: RetryBudget | false;
  /** When given, its retryable entries are retried by code whatever their status. */
  readonly catalog?: Catalog;
  readonly fetch?: typeof fetch;
  /** Injected sleep (tests pass a fake). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Called before each retry, e.g. to log it. */
  readonly onRetry?: (info: { error: DecodedError; attempt: number; decision: RetryDecision }) => void;
}

/** Per-request options on top of `RequestInit`. */
export interface ClientRequestInit extends RequestInit {
  /** Sends an `Idempotency-Key` (kept across retries) so a POST may be retried safely. */
  readonly idempotencyKey?: string | true;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** A fetch client that decodes any error shape and retries exactly as the server asks. */
export interface Client {
  /** The successful Response; error responses throw ResponseError after retries. */
  request(path: string, init?: ClientRequestInit): Promise<Response>;
  /** The parsed JSON body of a successful response. */
  json<T = unknown>(path: string, init?: ClientRequestInit): Promise<T>;
}

/**
 * @example
 * const api = createClient({ baseUrl: 'http://127.0.0.1:8080', headers: { authorization: `Bearer ${token}` } });
 * const analysis = await api.json('/v0/upload/analyze', { method: 'POST', body: form, idempotencyKey: true });
 */
export function createClient(options: ClientOptions): Client {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...retryCodesOf(options.catalog), ...options.policy };
  const budget = options.budget === false ? undefined : (options.budget ?? new RetryBudget());
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? abortableSleep;

  async function request(path: string, init: ClientRequestInit = {}): Promise<Response> {
    const { idempotencyKey, ...rest } = init;
    const headers = new Headers(typeof options.headers === 'function' ? options.headers() : options.headers);
    for (const [name, value] of new Headers(rest.headers)) headers.set(name, value);
    if (idempotencyKey)
      headers.set('idempotency-key', idempotencyKey === true ? crypto.randomUUID() : idempotencyKey);
    const method = (rest.method ?? 'GET').toUpperCase();
    const idempotent = IDEMPOTENT.has(method) || headers.has('idempotency-key');
    budget?.onRequest();
    for (let attempt = 1; ; attempt++) {
      const outcome = await attemptOnce(doFetch, options.baseUrl + path, { ...rest, headers });
      if (outcome instanceof Response && outcome.ok) return outcome;
      const error = outcome instanceof Response ? await decodeResponse(outcome) : networkError(outcome);
      const decision = decideRetry(
        { error, attempt, idempotent, random: options.random ?? Math.random },
        policy,
      );
      if (!decision.retry || (budget && !budget.tryRetry())) throw new ResponseError(error, attempt);
      options.onRetry?.({ error, attempt, decision });
      await sleep(decision.delayMs, rest.signal ?? undefined);
    }
  }

  return {
    request,
    async json<T>(path: string, init?: ClientRequestInit) {
      const response = await request(path, init);
      return (await response.json()) as T;
    },
  };
}

/** Turns an error Response into a DecodedError; an unrecognised body still yields one. */
export async function decodeResponse(response: Response, now: number = Date.now()): Promise<DecodedError> {
  const text = await response.text().catch(() => '');
  const body = parseBody(text, response.headers.get('content-type'));
  const input = { status: response.status, headers: response.headers, body, now };
  return (
    decodeError(input) ?? {
      format: 'unknown',
      status: response.status,
      code: undefined,
      message: response.statusText || `HTTP ${response.status}`,
      requestId: undefined,
      link: undefined,
      retryAfterMs: undefined,
      fields: {},
    }
  );
}

async function attemptOnce(doFetch: typeof fetch, url: string, init: RequestInit): Promise<Response | Error> {
  try {
    return await doFetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** A connection failure as a DecodedError: status 0, retryable like a 503 only for idempotent requests. */
function networkError(error: Error): DecodedError {
  return {
    format: 'network',
    status: 503,
    code: 'network_error',
    message: error.message,
    requestId: undefined,
    link: undefined,
    retryAfterMs: undefined,
    fields: {},
  };
}

function retryCodesOf(catalog: Catalog | undefined): Partial<RetryPolicy> {
  if (!catalog) return {};
  const retryCodes = new Set(catalog.entries.filter((e) => e.retryable).map((e) => e.id));
  const neverCodes = new Set(catalog.entries.filter((e) => !e.retryable).map((e) => e.id));
  return { retryCodes, neverCodes };
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
