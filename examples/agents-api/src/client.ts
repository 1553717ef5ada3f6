import { type ClientOptions, createClient, ResponseError, type RetryPolicy } from 'faultline/client';

/**
 * Seed 001's retry rule in the toolkit's own terms:
 * - `NO_AVAILABLE_WORKERS` (503) and `RATE_LIMITED` (429): up to 5 retries;
 * - `INTERNAL_ERROR` (500): one retry;
 * - anything else (`SESSION_LIMIT` and network failures included): none.
 * Delay before retry n (1-based): `Retry-After` when the server sent one, else 2^(n-1) s, plus
 * 0–1 s of random jitter either way (`jitter.serverDelays`). The API refuses with
 * `NO_AVAILABLE_WORKERS` and `INTERNAL_ERROR` before it creates anything and documents both as
 * worth retrying, so `notProcessed` lets a `generate` (a POST without idempotency key) repeat.
 * @example createClient({ baseUrl, policy: agentsRetryPolicy })
 */
export const agentsRetryPolicy: Partial<RetryPolicy> = {
  maxAttempts: 1,
  retryStatuses: new Set(),
  baseDelayMs: 1000,
  jitter: { maxMs: 1000, serverDelays: true },
  byCode: {
    NO_AVAILABLE_WORKERS: { retry: true, maxAttempts: 6, notProcessed: true },
    RATE_LIMITED: { retry: true, maxAttempts: 6 },
    INTERNAL_ERROR: { retry: true, maxAttempts: 2, notProcessed: true },
  },
};

/**
 * Options of `agentsClient`.
 * @example const options: AgentsClientOptions = { baseUrl: 'http://127.0.0.1:8081', apiSecret: 'ak_dev_…' };
 */
export interface AgentsClientOptions {
  readonly baseUrl: string;
  readonly apiSecret: string;
  readonly fetch?: typeof fetch;
  /** Injected in tests so no one waits for real. */
  readonly sleep?: ClientOptions['sleep'];
  readonly random?: () => number;
  readonly onRetry?: ClientOptions['onRetry'];
}

/**
 * A small client of the agents API on `createClient`, with `agentsRetryPolicy` and no retry
 * budget (the documented schedule is the whole rule); errors of any shape end as a
 * `ResponseError`.
 * @example
 * const api = agentsClient({ baseUrl: 'http://127.0.0.1:8081', apiSecret: process.env.API_KEY! });
 * const { agent_id } = await api.generate('You are a helpful assistant');
 */
export function agentsClient(options: AgentsClientOptions) {
  const client = createClient({
    baseUrl: options.baseUrl,
    headers: { 'api-secret': options.apiSecret },
    policy: agentsRetryPolicy,
    budget: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  return {
    generate: (prompt: string) =>
      client.json<{ agent_id: string; status: string }>('/v1/agent/generate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt }),
      }),
    status: (id: string) =>
      client.json<{ agent_id: string; status: string; error_message?: string }>(
        `/v1/agent/status/${encodeURIComponent(id)}`,
      ),
    account: () => client.json<{ balance: number }>('/v1/account'),
  };
}

// `npm run client -w examples/agents-api`: generate an agent and follow it until it settles.
if (import.meta.main) {
  const api = agentsClient({
    baseUrl: process.env['BASE_URL'] ?? 'http://127.0.0.1:8081',
    apiSecret: process.env['API_KEY'] ?? '',
    onRetry: ({ error, attempt, decision }) =>
      console.log(
        `attempt ${attempt}: ${error.code}; retrying in ${decision.retry ? decision.delayMs : 0} ms`,
      ),
  });
  try {
    const started = await api.generate(process.argv[2] ?? 'You are a helpful assistant');
    console.log(`agent ${started.agent_id}: ${started.status}`);
    for (let status = started.status; status !== 'ready' && status !== 'failed'; ) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await api.status(started.agent_id);
      if (now.status !== status)
        console.log(
          `agent ${started.agent_id}: ${now.status}${now.error_message ? ` (${now.error_message})` : ''}`,
        );
      status = now.status;
    }
  } catch (error) {
    if (!(error instanceof ResponseError)) throw error;
    console.error(
      `gave up after ${error.attempts} attempt(s): ${error.error.status} ${error.error.code}: ${error.error.message}`,
    );
    process.exitCode = 1;
  }
}
