import { type DecodedError, decodeResponse, ResponseError, type RetryDecision } from 'faultline/client';

/**
 * Seed 001's retry rule, as a policy function of its own: the current `RetryPolicy` has one
 * attempt cap for every code and never adds jitter to a server's delay, and this rule needs
 * both. Kept apart from the transport so it can become per-code overrides of `RetryPolicy`.
 *
 * - `NO_AVAILABLE_WORKERS` (503) and `RATE_LIMITED` (429): up to 5 retries;
 * - `INTERNAL_ERROR` (500): one retry;
 * - anything else: none.
 * Delay before retry n (1-based): `Retry-After` when the server sent one, else 2^(n-1) s,
 * plus 0–1 s of random jitter either way.
 * @example agentsRetry(error, 1, () => 0.5) // { retry: true, delayMs: 1500, reason: 'backoff' }
 */
export function agentsRetry(
  error: DecodedError,
  attempt: number,
  random: () => number = Math.random,
): RetryDecision {
  const retries = RETRIES[error.code ?? ''] ?? 0;
  if (retries === 0) return { retry: false, reason: 'not-retryable' };
  if (attempt > retries) return { retry: false, reason: 'attempts-exhausted' };
  const jitter = Math.floor(random() * 1000);
  if (error.retryAfterMs !== undefined)
    return { retry: true, delayMs: error.retryAfterMs + jitter, reason: 'server-delay' };
  return { retry: true, delayMs: 1000 * 2 ** (attempt - 1) + jitter, reason: 'backoff' };
}

/** Retries allowed after the first attempt, by error code. */
const RETRIES: Readonly<Record<string, number>> = {
  NO_AVAILABLE_WORKERS: 5,
  RATE_LIMITED: 5,
  INTERNAL_ERROR: 1,
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
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (info: { error: DecodedError; attempt: number; delayMs: number }) => void;
}

/**
 * A small client of the agents API: every call goes through `agentsRetry`; errors of any shape
 * decode through faultline's `decodeResponse` and end as a `ResponseError`.
 * @example
 * const api = agentsClient({ baseUrl: 'http://127.0.0.1:8081', apiSecret: process.env.API_KEY! });
 * const { agent_id } = await api.generate('You are a helpful assistant');
 */
export function agentsClient(options: AgentsClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  async function json<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = { 'api-secret': options.apiSecret };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    for (let attempt = 1; ; attempt++) {
      const response = await doFetch(options.baseUrl + path, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      if (response.ok) return (await response.json()) as T;
      const error = await decodeResponse(response);
      const decision = agentsRetry(error, attempt, options.random);
      if (!decision.retry) throw new ResponseError(error, attempt);
      options.onRetry?.({ error, attempt, delayMs: decision.delayMs });
      await sleep(decision.delayMs);
    }
  }
  return {
    generate: (prompt: string) =>
      json<{ agent_id: string; status: string }>('/v1/agent/generate', { method: 'POST', body: { prompt } }),
    status: (id: string) =>
      json<{ agent_id: string; status: string; error_message?: string }>(
        `/v1/agent/status/${encodeURIComponent(id)}`,
      ),
    account: () => json<{ balance: number }>('/v1/account'),
  };
}

// `npm run client -w examples/agents-api`: generate an agent and follow it until it settles.
if (import.meta.main) {
  const api = agentsClient({
    baseUrl: process.env['BASE_URL'] ?? 'http://127.0.0.1:8081',
    apiSecret: process.env['API_KEY'] ?? '',
    onRetry: ({ error, attempt, delayMs }) =>
      console.log(`attempt ${attempt}: ${error.code}; retrying in ${delayMs} ms`),
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
