import type { Catalog } from '../catalog/define.ts';
import { Decoded } from '../formats/decoded.ts';
import { decodeError, unknownError } from '../formats/detect.ts';
import { commonPhrase } from '../formats/phrase.ts';
import type { DecodedError, DecodeInput } from '../formats/types.ts';
import { RetryBudget } from './budget.ts';
import { type BodySource, isOneShot } from './request-body.ts';
import { ResponseError } from './response-error.ts';
import { decideRetry, defaultRetryPolicy, type RetryDecision, type RetryPolicy } from './retry-policy.ts';
import { abortableSleep } from './sleep.ts';

/**
 * Options of `createClient`.
 * @example createClient({ baseUrl, timeoutMs: 10_000, deadlineMs: 60_000, idempotencyKeys: true } satisfies ClientOptions)
 */
export interface ClientOptions {
  /** Prefix of every request path. */
  readonly baseUrl: string;
  /** Headers sent with every attempt; a function is called per attempt (a refreshed token applies at once). */
  readonly headers?: HeadersSource | (() => HeadersSource | Promise<HeadersSource>);
  readonly policy?: Partial<RetryPolicy>;
  /** Token bucket shared by every call of this client (pass one to share it wider); `false` disables it. */
  readonly budget?: RetryBudget | false;
  /** When given, its retryable entries are retried by code whatever their status, and the others never. */
  readonly catalog?: Catalog;
  readonly fetch?: typeof fetch;
  /** Injected sleep (tests pass a fake); it must reject with the signal's reason on abort. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Injected clock (ms) for the deadline and HTTP-date `Retry-After`. */
  readonly now?: () => number;
  /** Per-attempt timeout; a timed-out attempt counts as a network failure. */
  readonly timeoutMs?: number;
  /** Overall deadline of a call, retries and waits included; a wait that would pass it fails fast. */
  readonly deadlineMs?: number;
  /** Opt in: every non-idempotent request gets an `Idempotency-Key`, so it may be retried. */
  readonly idempotencyKeys?: boolean;
  /** Called once when an attempt answers 401, before the one retry a 401 gets (e.g. renew a token). */
  readonly refreshAuth?: () => unknown;
  /**
   * How an error response is decoded: `decodeError` (the core shapes) by default;
   * `decodeAnyError` from `faultline/decoders` adds Google, OpenAI, Stripe, Azure, AWS, GitHub,
   * the generic conventions (OAuth 2, FastAPI, GraphQL, JSON:API) and HTML pages' titles.
   */
  readonly decode?: (input: DecodeInput) => DecodedError | undefined;
  /** Called before each retry, e.g. to log it. */
  readonly onRetry?: (info: { error: DecodedError; attempt: number; decision: RetryDecision }) => void;
}

/**
 * Per-request options on top of `RequestInit`.
 * @example client.request('/jobs', { method: 'POST', body: json, idempotencyKey: true, deadlineMs: 5000 } satisfies ClientRequestInit)
 * @example client.json('/stories', { method: 'POST', body: brief, idempotent: true }) // the API dedupes by content
 */
export interface ClientRequestInit extends Omit<RequestInit, 'body'> {
  /** A body, or a function making a fresh one per attempt (a stream can then be retried). */
  readonly body?: BodySource;
  /** `true`: a key is generated once for this call and sent on every attempt; `false`: none, even if the client opts in. */
  readonly idempotencyKey?: string | boolean;
  /**
   * Whether repeating this call is safe, when the method alone says otherwise: `true` for an
   * operation the API documents as idempotent (e.g. a POST deduplicated by its content);
   * `false` for one that is not (e.g. a GET with a side effect). Default: by method and key.
   */
  readonly idempotent?: boolean;
  readonly timeoutMs?: number;
  readonly deadlineMs?: number;
  /** Overrides of the client's policy for this call. */
  readonly policy?: Partial<RetryPolicy>;
}

// What `new Headers()` accepts, named through the constructor because `HeadersInit` is DOM-only:
// the emitted .d.ts must compile in a Node-only project (types: node) as well as a DOM one.
type HeadersSource = ConstructorParameters<typeof Headers>[0];

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * A fetch client that decodes error responses (see `ClientOptions.decode`) and retries only
 * what is safe to repeat.
 * @example const api = createClient({ baseUrl: 'http://127.0.0.1:8080' }); await api.json('/healthz');
 */
export interface Client {
  /** The successful Response; error responses throw ResponseError after retries. */
  request(path: string, init?: ClientRequestInit): Promise<Response>;
  /** The parsed JSON body of a successful response. */
  json<T = unknown>(path: string, init?: ClientRequestInit): Promise<T>;
  /** The budget this client spends its retries from (undefined when disabled). */
  readonly budget: RetryBudget | undefined;
}

/**
 * A client that is safe by construction: it repeats a request only when that cannot repeat a
 * side effect (idempotent method, idempotency key, or a status saying nothing was done), waits
 * what the server asks, and never retries beyond its budget, its deadline or a one-shot body.
 * @example
 * const api = createClient({ baseUrl: 'http://127.0.0.1:8080', headers: async () => ({ authorization: `Bearer ${await token()}` }) });
 * const analysis = await api.json('/v0/upload/analyze', { method: 'POST', body: form, idempotencyKey: true });
 */
export function createClient(options: ClientOptions): Client {
  const base: RetryPolicy = { ...defaultRetryPolicy, ...retryCodesOf(options.catalog), ...options.policy };
  const budget = options.budget === false ? undefined : (options.budget ?? new RetryBudget());
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;

  async function request(path: string, init: ClientRequestInit = {}): Promise<Response> {
    const {
      idempotencyKey,
      idempotent: vouched,
      body: source,
      timeoutMs,
      deadlineMs,
      policy: callPolicy,
      ...rest
    } = init;
    const policy = { ...base, ...callPolicy };
    const method = (rest.method ?? 'GET').toUpperCase();
    const explicit = new Headers(rest.headers);
    // Generated once per call, so every attempt carries the same key and the server sees one operation.
    const wantKey = idempotencyKey ?? (options.idempotencyKeys === true && !IDEMPOTENT.has(method));
    if (wantKey && !explicit.has('idempotency-key'))
      explicit.set('idempotency-key', typeof wantKey === 'string' ? wantKey : crypto.randomUUID());
    const idempotent = vouched ?? (IDEMPOTENT.has(method) || explicit.has('idempotency-key'));
    // No timeout or no deadline is Infinity, so the arithmetic below needs no special case.
    const perAttempt = timeoutMs ?? options.timeoutMs ?? Infinity;
    const deadlineAt = now() + (deadlineMs ?? options.deadlineMs ?? Infinity);
    const signal = rest.signal ?? undefined;
    let taken: number | undefined;
    let refreshed = false;
    let sent = 0;

    for (let attempt = 1; ; attempt++) {
      const limit = Math.min(perAttempt, deadlineAt - now());
      const headers = await headersFor(options.headers, explicit);
      const body = typeof source === 'function' ? await source() : source;
      const streamed = isOneShot(body);
      // A factory makes a fresh stream per attempt; a stream handed over directly exists once.
      const oneShot = streamed && typeof source !== 'function';
      // The attempt timeout covers waiting for the response head, not the caller reading the body later.
      const timer = limit < Infinity ? new AbortController() : undefined;
      // Aborted without a reason: fetch then rejects with an AbortError, which `networkError` reads as a timeout.
      const timeout = timer && setTimeout(() => timer.abort(), Math.max(1, limit));
      const attemptSignal = anySignal(signal, timer?.signal);
      sent++;
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await doFetch(options.baseUrl + path, {
          ...rest,
          headers,
          // An undefined member is an absent one for fetch.
          body,
          signal: attemptSignal,
          // Node's fetch needs this for a streamed body; browsers ignore it.
          duplex: streamed ? 'half' : undefined,
        } as RequestInit);
      } catch (thrown) {
        if (signal?.aborted) throw signal.reason;
        failure = thrown;
      } finally {
        clearTimeout(timeout);
      }
      if (response?.ok) {
        budget?.release(taken);
        return response;
      }
      const error = response ? await decodeResponse(response, now(), options.decode) : networkError(failure);
      if (error.status === 401 && options.refreshAuth && !refreshed && !oneShot) {
        // Once per call: a second 401 after a fresh token is the answer, not a glitch.
        refreshed = true;
        await options.refreshAuth();
        attempt--;
        continue;
      }
      const left = deadlineAt - now();
      if (left <= 0) throw new ResponseError(error, sent, 'deadline');
      const decision = decideRetry({ error, attempt, idempotent, random, remainingMs: left }, policy);
      if (!decision.retry) throw new ResponseError(error, sent, decision.reason);
      if (oneShot) throw new ResponseError(error, sent, 'streamed-body');
      if (budget) {
        taken = budget.acquire(error.format === 'network' ? 'timeout' : 'error');
        if (taken === undefined) throw new ResponseError(error, sent, 'budget-exhausted');
      }
      options.onRetry?.({ error, attempt, decision });
      try {
        await sleep(decision.delayMs, signal);
      } catch (reason) {
        throw new ResponseError(error, sent, 'aborted', reason);
      }
    }
  }

  return {
    request,
    budget,
    async json<T>(path: string, init?: ClientRequestInit) {
      const response = await request(path, init);
      return (await response.json()) as T;
    },
  };
}

/**
 * Turns an error Response into a DecodedError with `decode` (`decodeError` by default); an
 * unrecognised body (none, an HTML page by default) still yields one: `unknown`, with the
 * status text or phrase, the retry headers and the usual request-id headers.
 * @example const error = await decodeResponse(await fetch(url)); console.log(error.code, error.requestId);
 * @example await decodeResponse(response, Date.now(), decodeAnyError) // Google, Stripe… too
 */
export async function decodeResponse(
  response: Response,
  now: number = Date.now(),
  decode: (input: DecodeInput) => DecodedError | undefined = decodeError,
): Promise<DecodedError> {
  const text = await response.text().catch(() => '');
  // The text itself: `decodeError` parses it with the content type of its one pass over the
  // headers (a `Headers.get` of its own costs about as much as that pass), and scans it for
  // `__proto__` keys only if `fields` is read.
  const input = { status: response.status, headers: response.headers, body: text, now };
  // Nothing recognised the body (often: there is none). The headers still say when to retry,
  // and the usual request-id headers (X-Correlation-ID, X-Request-Id…) whom to quote.
  return (
    decode(input) ??
    unknownError(response.status, response.headers, response.statusText || commonPhrase(response.status), now)
  );
}

async function headersFor(source: ClientOptions['headers'], explicit: Headers): Promise<Headers> {
  const headers = new Headers(typeof source === 'function' ? await source() : source);
  for (const [name, value] of explicit) headers.set(name, value);
  return headers;
}

/**
 * A connection failure or timeout as a DecodedError: status 0, format `network`; retried like
 * a 503 for idempotent requests only (a POST may have reached the server).
 */
function networkError(thrown: unknown): DecodedError {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const timeout = error.name === 'TimeoutError' || error.name === 'AbortError';
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  return new Decoded(undefined, undefined, undefined, 0).is(
    'network',
    0,
    timeout ? 'timeout' : 'network_error',
    timeout ? 'the attempt timed out' : `${error.message}${typeof cause === 'string' ? ` (${cause})` : ''}`,
    undefined,
  );
}

function retryCodesOf(catalog: Catalog | undefined): Partial<RetryPolicy> {
  if (!catalog) return {};
  const retryCodes = new Set<string>();
  const neverCodes = new Set<string>();
  for (const entry of catalog.entries) (entry.retryable ? retryCodes : neverCodes).add(entry.id);
  return { retryCodes, neverCodes };
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a) return b;
  return b ? AbortSignal.any([a, b]) : a;
}
