// One bit per top-level member some decoder requires.
const ERROR = 1;
const MESSAGE = 2;
const ERROR_ID = 4;
const STATUS_CODE = 8;
const TITLE = 16;
const DETAIL = 32;
const TYPE = 64;
const STATUS = 128;
const TYPE__ = 256;
const TIMESTAMP = 512;
const TRACE_ID = 1024;
const ERRORS = 2048;

/**
 * The members of a freshly parsed JSON object that decoders look for, as a bit set, found in
 * one `for…in` pass (V8 reads `body[key]` inside it from the enum cache, the cheapest access
 * there is). Only for objects straight out of `JSON.parse`: plain, own enumerable members only.
 */
function membersOf(body: Record<string, unknown>): number {
  let mask = 0;
  for (const key in body) {
    switch (key) {
      case 'error':
        mask |= ERROR;
        break;
      case 'message':
        mask |= MESSAGE;
        break;
      case 'error_id':
        mask |= ERROR_ID;
        break;
      case 'status_code':
        mask |= STATUS_CODE;
        break;
      case 'title':
        mask |= TITLE;
        break;
      case 'detail':
        mask |= DETAIL;
        break;
      case 'type':
        mask |= TYPE;
        break;
      case 'status':
        mask |= STATUS;
        break;
      case '__type':
        mask |= TYPE__;
        break;
      case 'timestamp':
        mask |= TIMESTAMP;
        break;
      case 'trace_id':
        mask |= TRACE_ID;
        break;
      case 'errors':
        mask |= ERRORS;
        break;
    }
  }
  return mask;
}

/**
 * For each built-in decoder, a condition its body must meet for it to match at all (read off
 * its code: the members it returns `undefined` without). Skipping decoders that cannot match
 * changes no result, only the cost: trying all of them on every body cost several times the
 * `JSON.parse` of it. `header(name)` is the header's value, or null.
 */
const NEEDS: Readonly<Record<string, (mask: number, header: (name: string) => string | null) => boolean>> = {
  problem: (m, header) =>
    ((m & (TITLE | DETAIL)) !== 0 && (m & (TYPE | STATUS)) !== 0) ||
    header('content-type')?.toLowerCase().includes('problem+json') === true,
  structured: (m) => (m & (ERROR_ID | MESSAGE)) === (ERROR_ID | MESSAGE),
  legacy: (m) => (m & STATUS_CODE) !== 0,
  envelope: (m) => (m & ERROR) !== 0,
  google: (m) => (m & ERROR) !== 0,
  openai: (m) => (m & ERROR) !== 0,
  stripe: (m) => (m & ERROR) !== 0,
  azure: (m, header) => (m & ERROR) !== 0 || Boolean(header('x-ms-error-code')?.trim()),
  nested: (m) => (m & ERROR) !== 0,
  aws: (m, header) => (m & TYPE__) !== 0 || Boolean(header('x-amzn-errortype')?.trim()),
  github: (m) => (m & MESSAGE) !== 0,
  spring: (m) => (m & (STATUS | ERROR | TIMESTAMP)) === (STATUS | ERROR | TIMESTAMP),
  trace: (m) => (m & (MESSAGE | TRACE_ID)) === (MESSAGE | TRACE_ID),
  generic: (m) => (m & (ERROR | DETAIL | ERRORS)) !== 0,
  flat: (m) => (m & (MESSAGE | ERROR)) !== 0,
  html: () => false,
  text: () => false,
};

/**
 * The members of a freshly parsed object body that decide which decoders can match (see `canMatch`).
 * @example const mask = bodyMask(body); decoders.filter((d) => canMatch(d.name, mask, headers));
 */
export function bodyMask(body: Record<string, unknown>): number {
  return membersOf(body);
}

type Need = (mask: number, header: (name: string) => string | null) => boolean;
const ALWAYS: Need = () => true;

/**
 * The match conditions of a decoder list, index-aligned with it, looked up once per list
 * rather than by name on every decode; a decoder it does not know is always tried.
 * @example const needs = needsOf(decoders); if (needs[i](mask, header)) decoders[i].decode(input);
 */
export function needsOf(list: readonly { readonly name: string }[]): readonly Need[] {
  return list.map((d) => NEEDS[d.name] ?? ALWAYS);
}
