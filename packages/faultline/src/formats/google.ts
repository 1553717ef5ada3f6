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

/**
 * Decode-only: Google APIs' `{error: {code: 429, message, status: "RESOURCE_EXHAUSTED", details}}`
 * (AIP-193). The stable machine code is `google.rpc.ErrorInfo.reason` when the error carries
 * one (AIP-193 makes `reason` + `domain` the identifier clients branch on), else the canonical
 * `status` name, which stays in `fields.status`. A delay comes from `Retry-After`, else from a
 * `google.rpc.RetryInfo` detail; the link from a `google.rpc.Help`; the request id from a
 * `google.rpc.RequestInfo`, else the usual headers.
 * @example google.decode({ status: 429, body })?.code // 'RATE_LIMIT_EXCEEDED' (ErrorInfo.reason)
 */
export const google: Decoder = {
  name: 'google',
  decode: guard((input) => {
    const body = asObject(input.body);
    const inner = asObject(body?.['error']);
    const stated = statusValue(inner?.['code']);
    const statusName = str(inner?.['status']);
    const message = str(inner?.['message']);
    if (!body || !inner || typeof inner['code'] !== 'number' || stated === undefined) return undefined;
    if (statusName === undefined || message === undefined) return undefined;
    const details = Array.isArray(inner['details']) ? inner['details'].map(asObject) : [];
    const info = details.find((d) => typeIs(d, 'ErrorInfo'));
    const requestInfo = details.find((d) => typeIs(d, 'RequestInfo'));
    return {
      format: 'google',
      status: statusOf(input, stated),
      code: str(info?.['reason']) || statusName,
      message,
      requestId: str(requestInfo?.['requestId']) || requestIdFromHeaders(input.headers),
      link: helpLink(details),
      retryAfterMs: retryAfterOf(input) ?? retryDelay(details),
      fields: without(body, ['error'], without(inner, ['code', 'message'])),
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
