import { type ClientOptions, createClient, ResponseError, type RetryPolicy } from 'faultline/client';

/** Every 5xx status: the rule retries a server error whatever its number. */
const SERVER_ERRORS = new Set(Array.from({ length: 100 }, (_, i) => 500 + i));

/**
 * Seed 004's retry rule in the toolkit's own terms: a 5xx is retried after 1, 2, 4 and 8 s
 * (no jitter), then given up; a 429 is retried once, after exactly the `Retry-After` seconds
 * (the header, or the body's `retry_after` when a proxy dropped it), and not at all without
 * one; any other 4xx never — it will not fix itself.
 * @example createClient({ baseUrl, policy: storiesRetryPolicy })
 */
export const storiesRetryPolicy: Partial<RetryPolicy> = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  jitter: 'none',
  retryStatuses: SERVER_ERRORS,
  byStatus: { 429: { retry: true, maxAttempts: 2, requireServerDelay: true } },
};

/**
 * Options of `storiesClient`.
 * @example const options: StoriesClientOptions = { baseUrl: 'http://127.0.0.1:8084', apiKey: 'sk_…' };
 */
export interface StoriesClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  /** Injected in tests so no one waits for real. */
  readonly sleep?: ClientOptions['sleep'];
  readonly onRetry?: ClientOptions['onRetry'];
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
 * A small client of the story API on `createClient`, with `storiesRetryPolicy` and no retry
 * budget (the documented schedule is the whole rule). Creation is sent as `idempotent`: the
 * API documents it as idempotent by brief content (the same brief answers the same story).
 * @example
 * const api = storiesClient({ baseUrl: 'http://127.0.0.1:8084', apiKey: process.env.API_KEY! });
 * const story = await api.create({ prompt: 'A fox learns to sail', duration_minutes: 2 });
 */
export function storiesClient(options: StoriesClientOptions) {
  const client = createClient({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.apiKey}` },
    policy: storiesRetryPolicy,
    budget: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  return {
    create: (brief: { prompt: string; duration_minutes: number; title?: string; style?: string }) =>
      client.json<StoryView>('/api/v1/stories', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(brief),
        idempotent: true,
      }),
    get: (id: string) => client.json<StoryView>(`/api/v1/stories/${encodeURIComponent(id)}`),
  };
}

// `npm run client -w examples/stories-api`: create a story and poll it until it settles.
if (import.meta.main) {
  const api = storiesClient({
    baseUrl: process.env['BASE_URL'] ?? 'http://127.0.0.1:8084',
    apiKey: process.env['API_KEY'] ?? '',
    onRetry: ({ error, attempt, decision }) =>
      console.log(
        `attempt ${attempt}: ${error.status} ${error.code}; retrying in ${decision.retry ? decision.delayMs : 0} ms`,
      ),
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
