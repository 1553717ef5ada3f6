import { ecosystems } from '../decoders/ecosystems.ts';
import { decoderFor } from './decode.ts';
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
export const google: Decoder = /* @__PURE__ */ decoderFor('google', ecosystems);
