import { ResponseError } from 'faultline/client';
import { expect } from 'vitest';

// Shared by the example client tests: a client's waits are recorded instead of slept, and its
// requests counted, so a retry schedule of seconds is checked against a real server at once.

/**
 * What a client under test did: the sleeps it asked for, the Retry-After of every answer it
 * got, and how many requests it sent. Hand `sleep` and `fetch` to the client's options.
 * @example const run = recorder(); const client = clipsClient({ baseUrl, apiKey, sleep: run.sleep, fetch: run.fetch });
 */
export function recorder() {
  const delays: number[] = [];
  const retryAfter: (string | null)[] = [];
  let attempts = 0;
  return {
    delays,
    retryAfter,
    attempts: () => attempts,
    sleep: async (ms: number): Promise<void> => {
      delays.push(ms);
    },
    fetch: async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      attempts++;
      const response = await fetch(input, init);
      retryAfter.push(response.headers.get('retry-after'));
      return response;
    },
  };
}

/**
 * Awaits a call that must fail with the client's `ResponseError`, and returns that error.
 * @example const error = await failure(client.get('missing')); expect(error.error.status).toBe(404);
 */
export async function failure(promise: Promise<unknown>): Promise<ResponseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ResponseError);
  return error as ResponseError;
}
