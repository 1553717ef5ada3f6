import { type ClientOptions, createClient, ResponseError, type RetryPolicy } from 'faultline/client';

/**
 * Seed 003's retry rule in the toolkit's own terms: 429, 500, 502 and 503 are retried, 3
 * attempts in all, waiting 1 s and then 2 s (1 s doubling, no jitter). This API sends no
 * `Retry-After`, so the backoff schedule is what a client sees.
 * @example createClient({ baseUrl, policy: reelsRetryPolicy })
 */
export const reelsRetryPolicy: Partial<RetryPolicy> = {
  maxAttempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 2000,
  jitter: 'none',
  retryStatuses: new Set([429, 500, 502, 503]),
};

/**
 * Options of `reelsClient`.
 * @example const options: ReelsClientOptions = { baseUrl: 'http://127.0.0.1:8083', token: 'ist_…' };
 */
export interface ReelsClientOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly fetch?: typeof fetch;
  /** Injected in tests so no one waits for real. */
  readonly sleep?: ClientOptions['sleep'];
  readonly onRetry?: ClientOptions['onRetry'];
}

/**
 * A job as the API returns it.
 * @example const { id, status }: ReelJob = await api.analyze(url);
 */
export interface ReelJob {
  readonly id: number;
  readonly status: 'pending' | 'processing' | 'done' | 'error';
  readonly error?: string | null;
  readonly result?: unknown;
}

/**
 * A small client of the reels API on `faultline/client`'s `createClient`, with `reelsRetryPolicy`.
 * `analyze` sends an `Idempotency-Key`: the toolkit repeats a POST only with one, and this API
 * refuses with 429/5xx before it creates a job, so repeating is safe.
 * @example
 * const api = reelsClient({ baseUrl: 'http://127.0.0.1:8083', token: process.env.API_KEY! });
 * const { id } = await api.analyze('https://www.instagram.com/reel/Cabc123/');
 */
export function reelsClient(options: ReelsClientOptions) {
  const client = createClient({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}` },
    policy: reelsRetryPolicy,
    budget: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  return {
    analyze: (url: string) =>
      client.json<ReelJob>('/api/v1/reels/analyze', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
        idempotencyKey: true,
      }),
    job: (id: number) => client.json<ReelJob>(`/api/v1/reels/${id}`),
  };
}

// `npm run client -w examples/reels-api`: analyse a Reel and poll the job until it is final.
if (import.meta.main) {
  const api = reelsClient({
    baseUrl: process.env['BASE_URL'] ?? 'http://127.0.0.1:8083',
    token: process.env['API_KEY'] ?? '',
    onRetry: ({ error, attempt, decision }) =>
      console.log(
        `attempt ${attempt}: ${error.status} ${error.message}; retrying in ${decision.retry ? decision.delayMs : 0} ms`,
      ),
  });
  try {
    let job = await api.analyze(process.argv[2] ?? 'https://www.instagram.com/reel/Cabc123/');
    console.log(`job ${job.id}: ${job.status}`);
    while (job.status === 'pending' || job.status === 'processing') {
      await new Promise((r) => setTimeout(r, 2000));
      job = await api.job(job.id);
      console.log(`job ${job.id}: ${job.status}${job.error ? ` (${job.error})` : ''}`);
    }
  } catch (error) {
    if (!(error instanceof ResponseError)) throw error;
    console.error(`gave up after ${error.attempts} attempt(s): ${error.error.status} ${error.error.message}`);
    process.exitCode = 1;
  }
}
