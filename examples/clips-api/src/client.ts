import { type ClientOptions, createClient, ResponseError, type RetryPolicy } from 'faultline/client';

/**
 * Seed 002's retry rule in the toolkit's own terms: 429 and 5xx are retried after 1, 2, 4 and
 * 8 s (no jitter), five attempts in all. This API sends no `Retry-After`, so the schedule is
 * always the backoff one.
 * @example createClient({ baseUrl, policy: clipsRetryPolicy })
 */
export const clipsRetryPolicy: Partial<RetryPolicy> = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  jitter: 'none',
  retryStatuses: new Set([429, 500, 502, 503, 504]),
};

/**
 * Options of `clipsClient`.
 * @example const options: ClipsClientOptions = { baseUrl: 'http://127.0.0.1:8082', apiKey: 'wv_…' };
 */
export interface ClipsClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  /** Injected in tests so no one waits for real. */
  readonly sleep?: ClientOptions['sleep'];
  readonly onRetry?: ClientOptions['onRetry'];
}

/**
 * A project as `data` holds it.
 * @example const { status, error_message }: ClipsProject = await api.results(id);
 */
export interface ClipsProject {
  readonly id: string;
  readonly name: string;
  readonly status: 'CREATED' | 'QUEUED' | 'ONGOING' | 'SUCCEEDED' | 'FAILED';
  readonly error_message?: string;
  readonly clips?: unknown[];
}

/**
 * A small client of the clips API on `createClient`, with `clipsRetryPolicy`. `create` sends an
 * `Idempotency-Key`, which is what lets the toolkit repeat a POST; the API answers 429 and 5xx
 * before it creates anything, so repeating is safe.
 * @example
 * const api = clipsClient({ baseUrl: 'http://127.0.0.1:8082', apiKey: process.env.API_KEY! });
 * const project = await api.create('https://videos.example/talk.mp4');
 */
export function clipsClient(options: ClipsClientOptions) {
  const client = createClient({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.apiKey}` },
    policy: clipsRetryPolicy,
    budget: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  return {
    create: async (videoUrl: string, name?: string) =>
      (
        await client.json<{ data: ClipsProject }>('/api/v2/clips', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ video_url: videoUrl, ...(name === undefined ? {} : { name }) }),
          idempotencyKey: true,
        })
      ).data,
    results: async (id: string) =>
      (await client.json<{ data: ClipsProject }>(`/api/v2/clips/results/${encodeURIComponent(id)}`)).data,
  };
}

// `npm run client -w examples/clips-api`: create a project and poll it until it is final.
if (import.meta.main) {
  const api = clipsClient({
    baseUrl: process.env['BASE_URL'] ?? 'http://127.0.0.1:8082',
    apiKey: process.env['API_KEY'] ?? '',
    onRetry: ({ error, attempt, decision }) =>
      console.log(
        `attempt ${attempt}: ${error.status} ${error.message}; retrying in ${decision.retry ? decision.delayMs : 0} ms`,
      ),
  });
  try {
    let project = await api.create(process.argv[2] ?? 'https://videos.example/talk.mp4', 'Demo');
    console.log(`${project.id}: ${project.status}`);
    while (project.status !== 'SUCCEEDED' && project.status !== 'FAILED') {
      await new Promise((r) => setTimeout(r, 5000));
      project = await api.results(project.id);
      console.log(
        `${project.id}: ${project.status}${project.error_message ? ` (${project.error_message})` : ''}`,
      );
    }
  } catch (error) {
    if (!(error instanceof ResponseError)) throw error;
    console.error(`gave up after ${error.attempts} attempt(s): ${error.error.status} ${error.error.message}`);
    process.exitCode = 1;
  }
}
