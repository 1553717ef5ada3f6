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
    const details = detailsOf(inner['details']);
    const info = details.errorInfo;
    const requestInfo = details.requestInfo;
    return {
      format: 'google',
      status: statusOf(input, stated),
      code: str(info?.['reason']) || statusName,
      message,
      requestId: str(requestInfo?.['requestId']) || requestIdFromHeaders(input.headers),
      link: helpLink(details.help),
      retryAfterMs: retryAfterOf(input) ?? retryDelay(details.retryInfo),
      fields: without(body, ['error'], without(inner, ['code', 'message'])),
    };
  }),
};

type Detail = Record<string, unknown> | undefined;

/** The first detail of each kind a decode reads, as `details.find` of each would give. */
interface Details {
  errorInfo: Detail;
  requestInfo: Detail;
  retryInfo: Detail;
  help: Detail;
}

const ERROR_INFO = '/google.rpc.ErrorInfo';
const REQUEST_INFO = '/google.rpc.RequestInfo';
const RETRY_INFO = '/google.rpc.RetryInfo';
const HELP = '/google.rpc.Help';

/** One pass over `details` (instead of a search per kind, each building its suffix anew). */
function detailsOf(list: unknown): Details {
  const found: Details = {
    errorInfo: undefined,
    requestInfo: undefined,
    retryInfo: undefined,
    help: undefined,
  };
  if (!Array.isArray(list)) return found;
  for (const item of list) {
    const detail = asObject(item);
    const type = str(detail?.['@type']);
    if (type === undefined) continue;
    if (found.errorInfo === undefined && type.endsWith(ERROR_INFO)) found.errorInfo = detail;
    else if (found.requestInfo === undefined && type.endsWith(REQUEST_INFO)) found.requestInfo = detail;
    else if (found.retryInfo === undefined && type.endsWith(RETRY_INFO)) found.retryInfo = detail;
    else if (found.help === undefined && type.endsWith(HELP)) found.help = detail;
  }
  return found;
}

/** `RetryInfo.retryDelay` is a protobuf Duration in JSON: `"30s"`, `"1.500s"`. */
function retryDelay(retryInfo: Detail): number | undefined {
  const delay = str(retryInfo?.['retryDelay']);
  const seconds = delay && /^\d{1,10}(\.\d{1,9})?s$/.test(delay) ? Number(delay.slice(0, -1)) : undefined;
  return seconds === undefined ? undefined : Math.ceil(seconds * 1000);
}

function helpLink(help: Detail): string | undefined {
  const links = help?.['links'];
  return Array.isArray(links) ? str(asObject(links[0])?.['url']) : undefined;
}
