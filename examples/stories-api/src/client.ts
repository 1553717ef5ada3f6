import { type DecodedError, decodeResponse, ResponseError, type RetryDecision } from 'faultline/client';

/**
 * Delays before the retries of a 5xx answer; after the last one the client gives up.
 * @example SERVER_ERROR_DELAYS_MS[0] // 1000
 */
export const SERVER_ERROR_DELAYS_MS = [1000, 2000, 4000, 8000] as const;

/**
 * What the rule needs to know of earlier attempts.
 * @example const state: StoriesRetryState = { serverErrors: 2, rateLimits: 0 };
 */
export interface StoriesRetryState {
  /** 5xx answers so far, this one included. */
  readonly serverErrors: number;
  /** 429 answers so far, this one included. */
  readonly rateLimits: number;
}

/**
 * Seed 004's retry rule, as a policy function of its own (the current `RetryPolicy` has a
 * single attempt cap and cannot say "429 once, 5xx four times"): a 5xx is retried after 1, 2,
 * 4 and 8 s, then given up; a 429 is retried once, after exactly the `Retry-After` seconds;
 * any other 4xx is never retried — it will not fix itself.
 * @example storiesRetry(error, { serverErrors: 1, rateLimits: 0 }) // { retry: true, delayMs: 1000, reason: 'backoff' }
 */
export function storiesRetry(error: DecodedError, state: StoriesRetryState): RetryDecision {
  if (error.status >= 500) {
    const delayMs = SERVER_ERROR_DELAYS_MS[state.serverErrors - 1];
    return delayMs === undefined
      ? { retry: false, reason: 'attempts-exhausted' }
      : { retry: true, delayMs, reason: 'backoff' };
  }
  if (error.status === 429) {
    if (state.rateLimits > 1) return { retry: false, reason: 'attempts-exhausted' };
    // `retryAfterMs` is the Retry-After header, or the body's retry_after when the header is lost.
    return { retry: true, delayMs: error.retryAfterMs ?? 1000, reason: 'server-delay' };
  }
  return { retry: false, reason: 'not-retryable' };
}

/**
 * Options of `storiesClient`.
 * @example const options: StoriesClientOptions = { baseUrl: 'http://127.0.0.1:8084', apiKey: 'sk_…' };
 */
export interface StoriesClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  /** Injected in tests so no one waits for real. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onRetry?: (info: { error: DecodedError; attempt: number; delayMs: number }) => void;
}

/**
 * A story as the API returns it.
 * @example const { id, status }: StoryView = await api.create(brief);
 */
export interface StoryView {
  readonly id: string;
  readonly status: 'generating' | 'ready' | 'failed';
  readonly error?: string;
  readonly story?: unknown;
}

/**
 * A small client of the story API applying `storiesRetry` to every call. Creation may be
 * repeated safely: the API is idempotent by brief content.
 * @example
 * const api = storiesClient({ baseUrl: 'http://127.0.0.1:8084', apiKey: process.env.API_KEY! });
 * const story = await api.create({ prompt: 'A fox learns to sail', duration_minutes: 2 });
 */
export function storiesClient(options: StoriesClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  async function json<T>(path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const state = { serverErrors: 0, rateLimits: 0 };
    for (let attempt = 1; ; attempt++) {
      const response = await doFetch(options.baseUrl + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (response.ok) return (await response.json()) as T;
      const error = await decodeResponse(response);
      if (error.status >= 500) state.serverErrors++;
      if (error.status === 429) state.rateLimits++;
      const decision = storiesRetry(error, state);
      if (!decision.retry) throw new ResponseError(error, attempt);
      options.onRetry?.({ error, attempt, delayMs: decision.delayMs });
      await sleep(decision.delayMs);
    }
  }
  return {
    create: (brief: { prompt: string; duration_minutes: number; title?: string; style?: string }) =>
      json<StoryView>('/api/v1/stories', brief),
    get: (id: string) => json<StoryView>(`/api/v1/stories/${encodeURIComponent(id)}`),
  };
}

// `npm run client -w examples/stories-api`: create a story and poll it until it settles.
if (import.meta.main) {
  const api = storiesClient({
    baseUrl: process.env['BASE_URL'] ?? 'http://127.0.0.1:8084',
    apiKey: process.env['API_KEY'] ?? '',
    onRetry: ({ error, attempt, delayMs }) =>
      console.log(`attempt ${attempt}: ${error.status} ${error.code}; retrying in ${delayMs} ms`),
  });
  try {
    let story = await api.create({
      prompt: process.argv[2] ?? 'A lighthouse keeper finds a map',
      duration_minutes: 1,
    });
    console.log(`${story.id}: ${story.status}`);
    while (story.status === 'generating') {
      await new Promise((r) => setTimeout(r, 1000));
      story = await api.get(story.id);
    }
    console.log(`${story.id}: ${story.status}${story.error ? ` (${story.error})` : ''}`);
  } catch (error) {
    if (!(error instanceof ResponseError)) throw error;
    console.error(
      `gave up after ${error.attempts} attempt(s): ${error.error.status} ${error.error.code}: ${error.error.message}`,
    );
    process.exitCode = 1;
  }
}
