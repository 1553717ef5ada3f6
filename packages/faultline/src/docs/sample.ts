import type { Entry } from '../catalog/types.ts';
import { ApiError } from '../error/api-error.ts';
import type { Encoded, WireFormat } from '../formats/types.ts';

/**
 * Correlation id shown in every example body: obviously a placeholder, still a valid UUID.
 * @example sampleEncoded(entry, structured).body['correlation_id'] === SAMPLE_CORRELATION_ID // true
 */
export const SAMPLE_CORRELATION_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The error an entry describes, with `<name>` standing in for each parameter and extra field,
 * so an example body shows where request-specific values go.
 * @example sampleError(entry).message // 'Parameter <name> is invalid: <reason>.'
 */
export function sampleError(entry: Entry): ApiError {
  const params: Record<string, string> = {};
  for (const name of [...entry.params, ...entry.fields]) params[name] = `<${name}>`;
  return new ApiError(entry, params);
}

/**
 * Where an example body's `link` points, and the clock for time-dependent formats.
 * @example sampleEncoded(entry, structured, { docsBase: 'https://api.example/docs/errors', now: () => 0 })
 */
export interface SampleContext {
  readonly docsBase?: string | undefined;
  readonly now?: (() => number) | undefined;
}

/**
 * An entry's example response, encoded with the given wire format.
 * @example sampleEncoded(entry, structured, { docsBase: 'https://api.example/docs/errors' }).body
 */
export function sampleEncoded(entry: Entry, format: WireFormat, context: SampleContext = {}): Encoded {
  return format.encode(sampleError(entry), {
    correlationId: SAMPLE_CORRELATION_ID,
    docsBase: context.docsBase,
    path: '/<path>',
    now: context.now,
  });
}
