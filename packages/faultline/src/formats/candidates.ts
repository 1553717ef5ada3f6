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
 * What a decoder needs of a body to match at all (read off its code: the members without
 * which it returns `undefined`): every member of `all`, one of `any` and one of `any2` (0 =
 * no such group) — or else the header `header`, when a header alone can make it match.
 */
interface Need {
  readonly all: number;
  readonly any: number;
  readonly any2: number;
  readonly header?: 'problem' | 'x-ms-error-code' | 'x-amzn-errortype';
}

/**
 * The conditions of the built-in decoders. Skipping decoders that cannot match changes no
 * result, only the cost (trying all of them on every body cost more than parsing it). Plain
 * data, checked with integer operations: a call per decoder through a table of closures was
 * itself a measurable share of a decode.
 */
const NEEDS: Readonly<Record<string, Need>> = {
  problem: { all: 0, any: TITLE | DETAIL, any2: TYPE | STATUS, header: 'problem' },
  structured: { all: ERROR_ID | MESSAGE, any: 0, any2: 0 },
  legacy: { all: STATUS_CODE, any: 0, any2: 0 },
  envelope: { all: ERROR, any: 0, any2: 0 },
  google: { all: ERROR, any: 0, any2: 0 },
  openai: { all: ERROR, any: 0, any2: 0 },
  stripe: { all: ERROR, any: 0, any2: 0 },
  azure: { all: ERROR, any: 0, any2: 0, header: 'x-ms-error-code' },
  nested: { all: ERROR, any: 0, any2: 0 },
  aws: { all: TYPE__, any: 0, any2: 0, header: 'x-amzn-errortype' },
  github: { all: MESSAGE, any: 0, any2: 0 },
  spring: { all: STATUS | ERROR | TIMESTAMP, any: 0, any2: 0 },
  trace: { all: MESSAGE | TRACE_ID, any: 0, any2: 0 },
  generic: { all: 0, any: ERROR | DETAIL | ERRORS, any2: 0 },
  flat: { all: 0, any: MESSAGE | ERROR, any2: 0 },
  // Text decoders never match a parsed object.
  html: { all: -1, any: 0, any2: 0 },
  text: { all: -1, any: 0, any2: 0 },
};

/** Unknown (custom) decoders: always tried. */
const ALWAYS: Need = { all: 0, any: 0, any2: 0 };

/**
 * The members of a freshly parsed object body that decide which decoders can match.
 * @example const mask = bodyMask(body); if (canMatch(needs[i], mask, headers)) …
 */
export function bodyMask(body: Record<string, unknown>): number {
  return membersOf(body);
}

/**
 * The conditions of a decoder list, index-aligned with it, looked up once per list.
 * @example const needs = needsOf(decoders);
 */
export function needsOf(list: readonly { readonly name: string }[]): readonly Need[] {
  return list.map((d) => NEEDS[d.name] ?? ALWAYS);
}

/**
 * Whether a decoder with this need can match a body with this mask; `header` reads a header.
 * @example canMatch(needs[i], mask, (name) => headers.get(name))
 */
export function canMatch(need: Need, mask: number, header: (name: string) => string | null): boolean {
  if (
    (mask & need.all) === need.all &&
    (need.any === 0 || (mask & need.any) !== 0) &&
    (need.any2 === 0 || (mask & need.any2) !== 0)
  )
    return true;
  if (need.header === undefined) return false;
  if (need.header === 'problem')
    return header('content-type')?.toLowerCase().includes('problem+json') === true;
  return Boolean(header(need.header)?.trim());
}
