// One bit per fact about a body that some decoder requires: a top-level member (with its type
// where a decoder checks it) and, when `error` is an object, the members of that object.
const ERROR_OBJ = 1 << 0;
const ERROR_STR = 1 << 1;
const MESSAGE_STR = 1 << 2;
const ERROR_ID_STR = 1 << 3;
const STATUS_CODE = 1 << 4;
const TITLE = 1 << 5;
const DETAIL = 1 << 6;
const TYPE = 1 << 7;
const STATUS = 1 << 8;
const TYPE__ = 1 << 9;
const TIMESTAMP = 1 << 10;
const TRACE_ID = 1 << 11;
const ERRORS = 1 << 12;
// Members of an `error` object.
const I_CODE = 1 << 13;
const I_CODE_STR = 1 << 14;
const I_CODE_NUM = 1 << 15;
const I_MESSAGE_STR = 1 << 16;
const I_HTTP_STATUS = 1 << 17;
const I_STATUS_STR = 1 << 18;
const I_PARAM = 1 << 19;
const I_TYPE_STR = 1 << 20;
const I_INNERERROR = 1 << 21;
const I_TARGET = 1 << 22;
// More top-level facts.
const DOCS_URL_STR = 1 << 23;
const ERROR_DESCRIPTION_STR = 1 << 24;
/** Set after the pass: `error` and `error_description` both strings (OAuth 2). */
const OAUTH = 1 << 25;

/**
 * The facts about a freshly parsed JSON object that decoders look for, as a bit set, found in
 * one `for…in` pass per level (V8 reads `body[key]` inside it from the enum cache, the cheapest
 * access there is). Only for objects straight out of `JSON.parse`: plain, own enumerable members only.
 */
function membersOf(body: Record<string, unknown>): number {
  let mask = 0;
  for (const key in body) {
    switch (key) {
      case 'error': {
        const value = body[key];
        if (typeof value === 'string') mask |= ERROR_STR;
        else if (typeof value === 'object' && value !== null && !Array.isArray(value))
          mask |= ERROR_OBJ | innerMembersOf(value as Record<string, unknown>);
        break;
      }
      case 'message':
        if (typeof body[key] === 'string') mask |= MESSAGE_STR;
        break;
      case 'error_id':
        if (typeof body[key] === 'string') mask |= ERROR_ID_STR;
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
      case 'documentation_url':
        if (typeof body[key] === 'string') mask |= DOCS_URL_STR;
        break;
      case 'error_description':
        if (typeof body[key] === 'string') mask |= ERROR_DESCRIPTION_STR;
        break;
    }
  }
  if ((mask & (ERROR_STR | ERROR_DESCRIPTION_STR)) === (ERROR_STR | ERROR_DESCRIPTION_STR)) mask |= OAUTH;
  return mask;
}

/** The members of an `error` object that tell the `{error: {…}}` conventions apart. */
function innerMembersOf(inner: Record<string, unknown>): number {
  let mask = 0;
  for (const key in inner) {
    switch (key) {
      case 'code': {
        const value = inner[key];
        mask |=
          I_CODE | (typeof value === 'string' ? I_CODE_STR : typeof value === 'number' ? I_CODE_NUM : 0);
        break;
      }
      case 'message':
        if (typeof inner[key] === 'string') mask |= I_MESSAGE_STR;
        break;
      case 'httpStatus':
        mask |= I_HTTP_STATUS;
        break;
      case 'status':
        if (typeof inner[key] === 'string') mask |= I_STATUS_STR;
        break;
      case 'param':
        mask |= I_PARAM;
        break;
      case 'type':
        if (typeof inner[key] === 'string') mask |= I_TYPE_STR;
        break;
      case 'innererror':
        mask |= I_INNERERROR;
        break;
      case 'target':
        mask |= I_TARGET;
        break;
    }
  }
  return mask;
}

/**
 * What a decoder needs of a body to match at all (read off its code: the facts without
 * which it returns `undefined`): every bit of `all`, one of `any` and one of `any2` (0 =
 * no such group) — or else the headers `header` / `partHeader` say it is this convention.
 */
interface Need {
  readonly all: number;
  readonly any: number;
  readonly any2: number;
  /**
   * Headers that make it match whatever the body (see `Header`).
   */
  readonly header?: Header;
  /** Headers that make it match a body that has every bit of `all` but none of `any`. */
  readonly partHeader?: readonly string[];
}

/**
 * One step of a candidate list: try decoder `index`, after checking `header` when the body
 * alone cannot make it match (see `headerMatches`).
 */
export interface Step {
  readonly index: number;
  readonly header: Header | undefined;
}

/**
 * A header condition: `problem` = a problem+json content type; `amzn` = an `X-Amzn-ErrorType`
 * header that is not empty, even one of spaces (the AWS decoder then reads the body's `code`);
 * a list = any of these names with a non-blank value.
 */
type Header = 'problem' | 'amzn' | readonly string[];

const ERROR_PAIR = ERROR_OBJ | I_CODE_STR | I_MESSAGE_STR;

/**
 * The conditions of the built-in decoders. Skipping decoders that cannot match changes no
 * result, only the cost (trying all of them on every body cost more than parsing it).
 */
const NEEDS: Readonly<Record<string, Need>> = {
  problem: { all: 0, any: TITLE | DETAIL, any2: TYPE | STATUS, header: 'problem' },
  structured: { all: ERROR_ID_STR | MESSAGE_STR, any: 0, any2: 0 },
  legacy: { all: STATUS_CODE | DETAIL, any: 0, any2: 0 },
  envelope: { all: ERROR_PAIR, any: I_HTTP_STATUS | STATUS_CODE, any2: 0 },
  google: { all: ERROR_OBJ | I_CODE_NUM | I_STATUS_STR | I_MESSAGE_STR, any: 0, any2: 0 },
  openai: { all: ERROR_OBJ | I_CODE | I_PARAM | I_MESSAGE_STR, any: 0, any2: 0 },
  stripe: { all: ERROR_OBJ | I_TYPE_STR, any: 0, any2: 0 },
  // Without `innererror` or `target`, an `x-ms-*` error code or request id must say it is Azure.
  azure: {
    all: ERROR_PAIR,
    any: I_INNERERROR | I_TARGET,
    any2: 0,
    header: ['x-ms-error-code'],
    partHeader: ['x-ms-error-code', 'x-ms-request-id', 'x-ms-correlation-request-id', 'apim-request-id'],
  },
  nested: { all: ERROR_PAIR, any: 0, any2: 0 },
  aws: { all: TYPE__, any: 0, any2: 0, header: 'amzn' },
  // A message with `documentation_url`, or with GitHub's request-id header.
  github: { all: MESSAGE_STR, any: DOCS_URL_STR, any2: 0, partHeader: ['x-github-request-id'] },
  spring: { all: STATUS | ERROR_STR | TIMESTAMP, any: 0, any2: 0 },
  trace: { all: MESSAGE_STR | TRACE_ID, any: 0, any2: 0 },
  generic: { all: 0, any: OAUTH | DETAIL | ERRORS, any2: 0 },
  flat: { all: 0, any: MESSAGE_STR | ERROR_STR, any2: 0 },
  // Text decoders never match a parsed object.
  html: { all: -1, any: 0, any2: 0 },
  text: { all: -1, any: 0, any2: 0 },
};

/** Unknown (custom) decoders: always tried. */
const ALWAYS: Need = { all: 0, any: 0, any2: 0 };

/**
 * The facts of a freshly parsed object body that decide which decoders can match.
 * @example const steps = candidatesOf(needs, table, bodyMask(body));
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

function bodyCanMatch(need: Need, mask: number): boolean {
  return (
    (mask & need.all) === need.all &&
    (need.any === 0 || (mask & need.any) !== 0) &&
    (need.any2 === 0 || (mask & need.any2) !== 0)
  );
}

/**
 * Whether the header a decoder can also match on is there (for a body that alone cannot match).
 * @example headerMatches(['x-ms-error-code'], new Headers({ 'x-ms-error-code': 'NotFound' })) // true
 */
export function headerMatches(
  which: NonNullable<Need['header']>,
  headers: { get(name: string): string | null } | undefined,
): boolean {
  if (headers === undefined) return false;
  if (which === 'problem') {
    // Asked of nearly every body: a type without a `+` (the usual `application/json`) is
    // rejected before a lower-cased copy is made. Lower-casing never makes a `+`.
    const type = headers.get('content-type');
    return type?.includes('+') === true && type.toLowerCase().includes('problem+json');
  }
  if (which === 'amzn') return Boolean(headers.get('x-amzn-errortype'));
  for (const name of which) if (headers.get(name)?.trim()) return true;
  return false;
}

/**
 * The decoders a body with this mask may match, in order. Masks repeat (a client meets a
 * handful of shapes), so each list is built once and kept: a decode then walks two or three
 * steps instead of checking every decoder.
 * @example for (const step of candidatesOf(needs, table, mask)) …
 */
export function candidatesOf(
  needs: readonly Need[],
  table: Map<number, readonly Step[]>,
  mask: number,
): readonly Step[] {
  let steps = table.get(mask);
  if (steps === undefined) {
    const list: Step[] = [];
    for (let i = 0; i < needs.length; i++) {
      const need = needs[i]!;
      if (bodyCanMatch(need, mask)) list.push({ index: i, header: undefined });
      else if (need.partHeader !== undefined && (mask & need.all) === need.all)
        list.push({ index: i, header: need.partHeader });
      else if (need.header !== undefined) list.push({ index: i, header: need.header });
    }
    steps = list;
    // Bounded: a hostile stream of bodies cannot make it hold more than 4,096 lists; in
    // practice it holds a few dozen.
    if (table.size < 4096) table.set(mask, steps);
  }
  return steps;
}
