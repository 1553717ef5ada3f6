import {
  asObject,
  guard,
  requestIdFromHeaders,
  retryAfterOf,
  statusOf,
  statusValue,
  str,
  without,
} from './common.ts';
import type { Decoder } from './types.ts';

const KEYS = ['code', 'message', 'status'] as const;

/**
 * Decode-only: Google APIs' `{error: {code: 429, message, status: "RESOURCE_EXHAUSTED", details}}`
 * (AIP-193). The code is the canonical `status` name; `details` stay in `fields`. A delay comes
 * from `Retry-After`, else from a `google.rpc.RetryInfo` detail; the link from a `google.rpc.Help`.
 * @example google.decode({ status: 429, body })?.code // 'RESOURCE_EXHAUSTED'
 */
export const google: Decoder = {
  name: 'google',
  decode: guard((input) => {
    const body = asObject(input.body);
    const inner = asObject(body?.['error']);
    const stated = statusValue(inner?.['code']);
    const code = str(inner?.['status']);
    const message = str(inner?.['message']);
    if (!body || !inner || typeof inner['code'] !== 'number' || stated === undefined) return undefined;
    if (code === undefined || message === undefined) return undefined;
    const details = Array.isArray(inner['details']) ? inner['details'].map(asObject) : [];
    return {
      format: 'google',
      status: statusOf(input, stated),
      code,
      message,
      requestId: requestIdFromHeaders(input.headers),
      link: helpLink(details),
      retryAfterMs: retryAfterOf(input) ?? retryDelay(details),
      fields: { ...without(inner, KEYS), ...without(body, ['error']) },
    };
  }),
};

type Detail = Record<string, unknown> | undefined;

const typeIs = (detail: Detail, name: string) => str(detail?.['@type'])?.endsWith(`/google.rpc.${name}`);

/** `RetryInfo.retryDelay` is a protobuf Duration in JSON: `"30s"`, `"1.500s"`. */
function retryDelay(details: readonly Detail[]): number | undefined {
  const delay = str(details.find((d) => typeIs(d, 'RetryInfo'))?.['retryDelay']);
  const seconds = delay && /^\d{1,10}(\.\d{1,9})?s$/.test(delay) ? Number(delay.slice(0, -1)) : undefined;
  return seconds === undefined ? undefined : Math.ceil(seconds * 1000);
}

function helpLink(details: readonly Detail[]): string | undefined {
  const links = details.find((d) => typeIs(d, 'Help'))?.['links'];
  return Array.isArray(links) ? str(asObject(links[0])?.['url']) : undefined;
}
