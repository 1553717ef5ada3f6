import type { DecodeInput } from '../formats/types.ts';

/**
 * The members of a body handed over as an object rather than text: a class instance (an
 * `Error`, an object with getters) hides members from a `for…in` pass, so they are read by
 * name into a plain copy. Opt-in (`faultline/decoders`): the client always decodes text.
 */

/** Whether a body is a plain object, as `JSON.parse` makes them: a `for…in` pass sees its members. */
function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Every member of `body`, inherited ones included, as a plain object; a plain body as it is.
 * A member that throws is left out.
 * @example membersOf(new Error('boom')).message // 'boom'
 */
export function membersOf(body: Record<string, unknown>): Record<string, unknown> {
  if (isPlain(body)) return body;
  const copy: Record<string, unknown> = {};
  for (let at: object | null = body; at && at !== Object.prototype; at = Object.getPrototypeOf(at)) {
    for (const key of Object.getOwnPropertyNames(at)) {
      try {
        if (!(key in copy)) copy[key] = body[key];
      } catch {
        // As if absent.
      }
    }
  }
  return copy;
}

/**
 * `input` with a body of bytes (an `ArrayBuffer` or a view of one) read as UTF-8 text; else
 * `input` itself. Never throws: a hostile input is left for the decoder to refuse.
 */
export function withTextBody(input: DecodeInput): DecodeInput {
  try {
    const body = input.body;
    if (typeof body === 'object' && (body instanceof ArrayBuffer || ArrayBuffer.isView(body)))
      return {
        status: input.status,
        headers: input.headers,
        body: new TextDecoder().decode(body),
        now: input.now,
      };
  } catch {
    // Throwing getters, revoked proxies: decoded (and refused) as they are.
  }
  return input;
}
