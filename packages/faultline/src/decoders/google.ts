import { type Decoded, objectOf, statusValue, str } from '../formats/decoded.ts';
import { type HeaderValues, idOf } from '../formats/headers.ts';

/**
 * Google's AIP-193 error, `{error: {code: 429, message, status: "RESOURCE_EXHAUSTED", details}}`,
 * or undefined when `error` is not one. The first detail of each kind is read in one pass over
 * `details`: ErrorInfo's `reason` is the code (else the status name), RetryInfo the delay
 * (after `Retry-After`), RequestInfo the request id, Help the link.
 */
export function googleError(
  d: Decoded,
  h: HeaderValues,
  code: number,
  statusName: unknown,
  said: unknown,
  list: unknown,
): Decoded | undefined {
  const stated = statusValue(code);
  if (stated === undefined || typeof statusName !== 'string' || typeof said !== 'string') return undefined;
  let info: Record<string, unknown> | undefined;
  let request: Record<string, unknown> | undefined;
  let retry: Record<string, unknown> | undefined;
  let help: Record<string, unknown> | undefined;
  if (Array.isArray(list)) {
    for (const item of list) {
      const detail = objectOf(item);
      const kind = str(detail?.['@type']);
      if (kind === undefined) continue;
      if (!info && kind.endsWith('/google.rpc.ErrorInfo')) info = detail;
      else if (!request && kind.endsWith('/google.rpc.RequestInfo')) request = detail;
      else if (!retry && kind.endsWith('/google.rpc.RetryInfo')) retry = detail;
      else if (!help && kind.endsWith('/google.rpc.Help')) help = detail;
    }
  }
  // RetryInfo.retryDelay is a protobuf Duration in JSON: "30s", "1.500s".
  const delay = str(retry?.['retryDelay']);
  const seconds = delay && /^\d{1,10}(\.\d{1,9})?s$/.test(delay) ? Number(delay.slice(0, -1)) : undefined;
  const links = help?.['links'];
  return d.is(
    'google',
    d.statusOf(stated),
    str(info?.['reason']) || statusName,
    said,
    str(request?.['requestId']) || idOf(h, 7, 10),
    Array.isArray(links) ? str(objectOf(links[0])?.['url']) : undefined,
    d.retryAfterMs ?? (seconds === undefined ? undefined : Math.ceil(seconds * 1000)),
  );
}
