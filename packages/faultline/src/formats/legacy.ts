import { asObject, errorHeaders, JSON_TYPE, retryAfterOf, statusValue, str, without } from './common.ts';
import type { WireFormat } from './types.ts';

/**
 * Seed 000's old shape: `{detail, status_code, extra}`. Kept for clients that have not
 * migrated; `transition` emits it beside `structured` until the sunset.
 * @example legacy.encode(err, ctx).body // { detail: '…', status_code: 400, extra: {} }
 */
export const legacy: WireFormat = {
  name: 'legacy',
  contentType: JSON_TYPE,
  encode(error) {
    return {
      status: error.status,
      headers: errorHeaders(error),
      body: { detail: error.message, status_code: error.status, extra: error.fields },
    };
  },
  decode(input) {
    const body = asObject(input.body);
    const detail = body?.['detail'];
    if (!body || !('status_code' in body)) return undefined;
    const status = statusValue(body['status_code']);
    // FastAPI-style validation errors put a list in `detail`; keep its first message readable.
    const message = str(detail) ?? (Array.isArray(detail) ? str(asObject(detail[0])?.['msg']) : undefined);
    if (status === undefined || message === undefined) return undefined;
    return {
      format: 'legacy',
      status,
      code: undefined,
      message,
      requestId: undefined,
      link: undefined,
      retryAfterMs: retryAfterOf(input),
      fields: { ...(asObject(body['extra']) ?? {}), ...without(body, ['detail', 'status_code', 'extra']) },
    };
  },
};
