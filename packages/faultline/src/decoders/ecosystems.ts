import type { Extension } from '../formats/decode.ts';
import { apart, type Decoded, objectOf, str } from '../formats/decoded.ts';
import { type HeaderValues, headerTable, idOf, NAMES } from '../formats/headers.ts';
import { commonPhrase } from '../formats/phrase.ts';
import { looksLikeHtml } from '../formats/readable.ts';
import { genericError, genericFields } from './generic.ts';
import { googleError } from './google.ts';
import { htmlMessage } from './html.ts';
import { membersOf } from './members.ts';
import { looksLikeXmlError, xmlText } from './xml.ts';

/**
 * The shapes of other ecosystems' APIs — Google (AIP-193), OpenAI, Stripe, Azure, AWS (JSON
 * and XML), GitHub — with the `generic` conventions and HTML pages, as an extension of the decoding core (see `Extension` in
 * `formats/decode.ts`, whose hooks sit where these shapes sit in the `decoders` order). Opt-in,
 * so a browser bundle that does not ask for them does not carry them.
 */

/** The core's header names (slots 0–10), then these at the slots the hooks read. */
const HEADERS = /* @__PURE__ */ headerTable([
  ...NAMES,
  // 11: Azure's code; 12–14: Azure's request ids
  'x-ms-error-code',
  'x-ms-request-id',
  'x-ms-correlation-request-id',
  'apim-request-id',
  // 15: AWS's code; 16–18: AWS's request ids
  'x-amzn-errortype',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-amzn-request-id',
  // 19–21: GitHub
  'x-github-request-id',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
]);

/**
 * Azure named by its `x-ms-error-code` header alone: a HEAD, Storage's XML (its message then
 * from the document), or a body that is not Azure's.
 */
function azureByHeader(d: Decoded, h: HeaderValues, only: string | undefined, xml?: string) {
  const named = (only === undefined || only === 'azure') && h[11]?.trim();
  if (!named) return undefined;
  const message = xml === undefined ? undefined : xmlText(xml, 'Message')?.split('\n')[0];
  return d.is('azure', d.statusOf(), named, message || named, idOf(h, 12, 14) ?? idOf(h, 7, 10));
}

/** Smithy's rule: `aws.protocols#ValidationException:http://…` → `ValidationException`. */
function sanitise(raw: string): string {
  const colon = raw.indexOf(':');
  const noUri = colon === -1 ? raw : raw.slice(0, colon);
  return noUri.slice(noUri.lastIndexOf('#') + 1).trim();
}

/** A bodiless AWS error (HEAD, or an empty body): its code in X-Amzn-ErrorType alone. */
function awsHeaderOnly(d: Decoded, h: HeaderValues, blank: boolean, only: string | undefined) {
  const raw = (only === undefined || only === 'aws') && h[15]?.trim();
  if (!blank || !raw) return undefined;
  const code = sanitise(raw);
  return d.is('aws', d.statusOf(), code, code, idOf(h, 16, 18));
}

/** AWS's XML error document, or a bodiless AWS error named by its header. */
function awsText(d: Decoded, h: HeaderValues, body: string, xml: boolean, only: string | undefined) {
  if (only !== undefined && only !== 'aws') return undefined;
  if (!xml) return awsHeaderOnly(d, h, body.trim() === '', only);
  const code = xmlText(body, 'Code');
  if (code === undefined) return undefined;
  const requestId = idOf(h, 16, 18) ?? xmlText(body, 'RequestId') ?? xmlText(body, 'RequestID');
  return d.is('aws', d.statusOf(), code, xmlText(body, 'Message') || code, requestId);
}

/**
 * An HTML error page (nginx's `502 Bad Gateway`, a CDN's timeout page): its `<title>`, else
 * its first `<h1>`, else its text, else the status's reason phrase.
 */
function htmlPage(d: Decoded, h: HeaderValues, body: string, only: string | undefined) {
  if ((only !== undefined && only !== 'html') || !looksLikeHtml(body, h[0])) return undefined;
  const status = d.statusOf();
  return d.is('html', status, undefined, htmlMessage(body) || commonPhrase(status), idOf(h, 7, 10));
}

/**
 * Stripe's error types all end in `_error`: `card_error`, `invalid_request_error`… Read as
 * `/^[a-z]+(?:_[a-z]+)*_error$/` would, without a regex on every `{error: {type}}` body.
 */
function isStripeType(type: string): boolean {
  const end = type.length - 6;
  if (end < 1 || !type.endsWith('_error')) return false;
  let previous = 0x5f; // as if after an underscore: the type may not start with one
  for (let i = 0; i < end; i++) {
    const c = type.charCodeAt(i);
    if (c === 0x5f ? previous === 0x5f : c < 0x61 || c > 0x7a) return false;
    previous = c;
  }
  return previous !== 0x5f;
}

/**
 * GitHub's primary rate limit (`x-ratelimit-remaining: 0`): wait until `x-ratelimit-reset`
 * (unix seconds), as GitHub's docs ask, when no `Retry-After` was sent.
 */
function primaryLimitReset(h: HeaderValues, now: unknown): number | undefined {
  if (h[20]?.trim() !== '0') return undefined;
  const reset = h[21]?.trim();
  if (!reset || !/^\d{1,12}$/.test(reset)) return undefined;
  // The caller's clock only when it is one (input is untrusted).
  const at = typeof now === 'number' && Number.isFinite(now) ? now : Date.now();
  return Math.max(0, Number(reset) * 1000 - at);
}

/**
 * The ecosystem shapes as hooks of the decoding core. Their members are read by name, only for
 * bodies that reach a hook and have members the core does not read (`rest`): the core's one
 * pass stays as small as its own shapes.
 */
export const ecosystems: Extension = {
  headers: HEADERS,

  text(d, h, body, only) {
    // Azure (a HEAD, or Storage's XML), AWS's XML, then an HTML page.
    const xml = looksLikeXmlError(body);
    const azure = azureByHeader(d, h, only, xml ? body : undefined);
    if (azure) return azure;
    return awsText(d, h, body, xml, only) ?? htmlPage(d, h, body, only);
  },

  other(d, h, body, only) {
    return azureByHeader(d, h, only) ?? awsHeaderOnly(d, h, body === undefined, only);
  },

  inner(d, h, error, code, message, rest, only) {
    const all = only === undefined;
    // Only Azure's header may name an `error` with no member beyond the core's.
    if (rest) {
      if ((all || only === 'google') && typeof code === 'number') {
        const decoded = googleError(d, h, code, error['status'], message, error['details']);
        if (decoded) return decoded;
      }
      const type = error['type'];
      // OpenAI always sends `param` and `code` (maybe null), and never Stripe's or seed 004's ids.
      if (
        (all || only === 'openai') &&
        'param' in error &&
        'code' in error &&
        !('doc_url' in error || 'request_log_url' in error || 'request_id' in error) &&
        typeof message === 'string'
      ) {
        const kind = str(type);
        if (kind !== undefined || typeof code === 'string') {
          const named =
            typeof code === 'string' && code !== '' ? code : typeof code === 'number' ? String(code) : kind;
          return d.is('openai', d.statusOf(), named, message || kind || 'error', idOf(h, 7, 10));
        }
      }
      if (
        (all || only === 'stripe') &&
        typeof type === 'string' &&
        isStripeType(type) &&
        !('request_id' in error) &&
        (message === undefined || typeof message === 'string')
      ) {
        const named = str(code) || type;
        const log = str(error['request_log_url']);
        const requestId = idOf(h, 7, 10) ?? (log ? /\/(req_\w+)/.exec(log)?.[1] : undefined);
        return d.is('stripe', d.statusOf(), named, message || named, requestId, str(error['doc_url']));
      }
    }
    if ((all || only === 'azure') && typeof code === 'string' && typeof message === 'string') {
      const named = h[11]?.trim() || undefined;
      const msId = idOf(h, 12, 14);
      if (named || msId || (rest && ('innererror' in error || 'target' in error)))
        return d.is('azure', d.statusOf(), named ?? code, message, msId ?? idOf(h, 7, 10));
    }
    return undefined;
  },

  late(d, h, body, only) {
    return only === undefined || only === 'generic' ? genericError(d, h, body) : undefined;
  },

  outer(d, h, body, message, rest, noInner, only, now) {
    const all = only === undefined;
    // Not Azure's body: its x-ms-error-code header alone says what it is.
    const azure = noInner ? azureByHeader(d, h, only) : undefined;
    if (azure) return azure;
    if (all || only === 'aws') {
      const errorType = h[15];
      const kind = (rest ? str(body['__type']) : undefined) ?? (errorType ? str(body['code']) : undefined);
      const raw = errorType?.trim() || kind;
      if (raw) {
        const named = sanitise(raw);
        const said = str(message) ?? (rest ? (str(body['Message']) ?? str(body['errorMessage'])) : undefined);
        const requestId = idOf(h, 16, 18) ?? (rest ? str(body['RequestId']) : undefined);
        return d.is('aws', d.statusOf(), named, said || named, requestId);
      }
    }
    if ((all || only === 'github') && typeof message === 'string') {
      const docs = rest ? str(body['documentation_url']) : undefined;
      const ghId = h[19]?.trim();
      if (docs !== undefined || ghId) {
        const errors = body['errors'];
        const first = Array.isArray(errors) ? objectOf(errors[0]) : undefined;
        return d.is(
          'github',
          d.statusOf(body['status']),
          str(first?.['code']),
          message,
          ghId || idOf(h, 7, 10),
          docs,
          d.retryAfterMs ?? primaryLimitReset(h, now),
        );
      }
    }
    return undefined;
  },

  members: membersOf,

  fields(format, body) {
    if (typeof body === 'string') {
      // AWS's XML errors are the only text bodies with fields.
      if (format !== 'aws') return undefined;
      const type = xmlText(body, 'Type');
      const hostId = xmlText(body, 'HostId');
      return { ...(type ? { type } : {}), ...(hostId ? { hostId } : {}) };
    }
    const b = body as Record<string, unknown>;
    switch (format) {
      case 'google':
      case 'openai':
        return apart(b, 'error', b['error']);
      case 'stripe':
        return apart(b, 'error', b['error'], 'code,message,doc_url');
      // Decoded from its header alone when `error` is no object: then the body was not Azure's.
      case 'azure':
        return objectOf(b['error']) ? apart(b, 'error', b['error']) : {};
      case 'aws':
        return apart(b, '__type,code,message,Message,errorMessage');
      case 'github':
        return apart(b, 'message,documentation_url,status');
      case 'generic':
        return genericFields(b);
    }
    return undefined;
  },
};
