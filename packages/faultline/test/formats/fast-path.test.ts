import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyDecoders, decodeAnyError, decodeWith } from '../../src/decoders/index.ts';
import type { Decoder } from '../../src/formats/index.ts';
import { decoders } from '../../src/formats/index.ts';
import { type DecodedError, type DecodeInput, decodeError } from '../../src/index.ts';
import { DECODER_MEMBERS } from '../support/decoder-members.ts';

/**
 * `decodeError` reads a body's members in one pass and picks its shape from them (a speed-up:
 * see bench scenario 5), parsing text without a reviver. That must never change a result: the
 * text of a body decodes exactly as the same body handed over already parsed, and the built-in
 * decoders tried one by one (`decodeWith(input, decoders)`) give the same answer. So for the
 * core (`decodeError`) and with the ecosystem shapes (`decodeAnyError`).
 */
type Decode = (input: DecodeInput) => DecodedError | undefined;
const DECODES: [string, Decode, readonly Decoder[]][] = [
  ['decodeError', decodeError, decoders],
  ['decodeAnyError', decodeAnyError, anyDecoders],
];

/** A decoded error with `fields` (an accessor, computed on first read) as a plain member. */
const plain = (decoded: DecodedError | undefined) => decoded && { ...decoded, fields: decoded.fields };
const MEMBERS = DECODER_MEMBERS;
const VALUES = fc.oneof(
  fc.constantFrom(
    'error',
    'card_error',
    'RESOURCE_EXHAUSTED',
    'x',
    '',
    '429',
    'a#B:c',
    'about:blank',
    '2026-01-01T00:00:00Z',
  ),
  fc.integer({ min: 100, max: 599 }),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 1 }),
);
const shaped = fc.letrec((tie) => ({
  body: fc.dictionary(fc.constantFrom(...MEMBERS), fc.oneof({ depthSize: 'small' }, VALUES, tie('body')), {
    maxKeys: 7,
  }),
})).body;
const HEADER_NAMES = [
  'content-type',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
  'ratelimit',
  'x-ms-error-code',
  'x-ms-request-id',
  'x-amzn-errortype',
  'x-github-request-id',
  'x-request-id',
  'x-ms-correlation-request-id',
  'apim-request-id',
  'Retry-After',
  'X-Ms-Error-Code',
];
const headers = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(
    fc.constantFrom(...HEADER_NAMES),
    fc.constantFrom(
      'application/json',
      'application/problem+json',
      '3',
      '1500',
      'false',
      '"a";r=0;t=4',
      'Code',
      ' ',
    ),
    { maxKeys: 4 },
  ),
);

describe.each(DECODES)('the candidate filter changes no result: %s', (_name, decodeError, decoders) => {
  it('text and parsed object bodies decode alike, for bodies built from the members decoders read', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          shaped,
          fc.record({ error: shaped }),
          fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
        ),
        headers,
        fc.integer({ min: 100, max: 599 }),
        (value, h, status) => {
          const text = JSON.stringify(value);
          const fromText = decodeError({ status, headers: h, body: text, now: 0 });
          const fromValue = decodeError({ status, headers: h, body: JSON.parse(text), now: 0 });
          expect(plain(fromText)).toEqual(plain(fromValue));
          const oneByOne = decodeWith({ status, headers: h, body: text, now: 0 }, decoders);
          expect(plain(oneByOne)).toEqual(plain(fromText));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe.each(DECODES)('header names in any spelling: %s', (_name, decodeError) => {
  /** Every header a built-in shape reads. */
  const READ = [
    'content-type',
    'retry-after',
    'retry-after-ms',
    'x-ms-retry-after-ms',
    'x-should-retry',
    'stripe-should-retry',
    'ratelimit',
    'x-correlation-id',
    'x-request-id',
    'request-id',
    'x-trace-id',
    'x-ms-error-code',
    'x-ms-request-id',
    'x-ms-correlation-request-id',
    'apim-request-id',
    'x-amzn-errortype',
    'x-amzn-requestid',
    'x-amz-request-id',
    'x-amzn-request-id',
    'x-github-request-id',
    'x-ratelimit-remaining',
    'x-ratelimit-reset',
  ];
  const spell = (name: string, how: number) =>
    how === 0
      ? name
      : how === 1
        ? name.toUpperCase()
        : name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());

  it('a record decodes alike whatever the case of its names', () => {
    fc.assert(
      fc.property(
        shaped,
        fc.dictionary(
          fc.constantFrom(...READ),
          fc.constantFrom('application/problem+json', '2', '250', 'false', 'id-1', '"a";r=0;t=4', '0'),
          { maxKeys: 6 },
        ),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 22, maxLength: 22 }),
        (value, lower, hows) => {
          const spelled = Object.fromEntries(
            Object.entries(lower).map(([name, v]) => [spell(name, hows[READ.indexOf(name)]!), v]),
          );
          const text = JSON.stringify(value);
          const expected = decodeError({ status: 429, headers: lower, body: text, now: 0 });
          expect(plain(decodeError({ status: 429, headers: spelled, body: text, now: 0 }))).toEqual(
            plain(expected),
          );
        },
      ),
      { numRuns: 1000 },
    );
    for (const name of READ) {
      for (const how of [1, 2]) {
        const headers = { [spell(name, how)]: 'v-1', date: 'x' };
        const lower = { [name]: 'v-1', date: 'x' };
        for (const body of ['{"message":"m"}', '{"error":{"code":"c","message":"m"}}', '', '{"__type":"T"}'])
          expect(plain(decodeError({ status: 400, headers, body }))).toEqual(
            plain(decodeError({ status: 400, headers: lower, body })),
          );
      }
    }
  });
});

describe('the candidate filter on examples it once got wrong', () => {
  it('a blank X-Amzn-ErrorType still lets the AWS decoder read the body code', () => {
    const decodeError = decodeAnyError;
    const input = { status: 400, headers: { 'x-amzn-errortype': ' ' }, now: 0 };
    const fromText = decodeError({ ...input, body: '{"code":"error"}' });
    expect(plain(fromText)).toEqual(plain(decodeError({ ...input, body: { code: 'error' } })));
    expect(fromText?.format).toBe('aws');
  });
});

describe.each(DECODES)(
  'a fetch Headers read in one pass answers as Headers#get does: %s',
  (_name, decodeError) => {
    it('decodes alike with the Headers itself and with an object that only has its get', () => {
      const names = fc.constantFrom(...HEADER_NAMES, 'set-cookie', 'X-Request-Id', 'x-github-request-id');
      fc.assert(
        fc.property(
          shaped,
          fc.array(
            fc.tuple(names, fc.constantFrom('application/problem+json', '2', '250', 'true', 'id-1', ' ')),
            {
              maxLength: 5,
            },
          ),
          fc.integer({ min: 100, max: 599 }),
          (value, pairs, status) => {
            const fetchHeaders = new Headers();
            for (const [name, v] of pairs) fetchHeaders.append(name, v);
            // Only `get`: decoded through the reference path, one `get` call per name.
            const getOnly = { get: (name: string) => fetchHeaders.get(name) };
            const text = JSON.stringify(value);
            const viaHeaders = decodeError({ status, headers: fetchHeaders, body: text, now: 0 });
            expect(plain(viaHeaders)).toEqual(
              plain(decodeError({ status, headers: getOnly, body: text, now: 0 })),
            );
          },
        ),
        { numRuns: 1000 },
      );
    });
  },
);

describe("Google's details, read in one pass", () => {
  it('each kind is read from its first detail, as a search per kind would', () => {
    const detail = fc.record({
      '@type': fc.constantFrom(
        'type.googleapis.com/google.rpc.ErrorInfo',
        'type.googleapis.com/google.rpc.RequestInfo',
        'type.googleapis.com/google.rpc.RetryInfo',
        'type.googleapis.com/google.rpc.Help',
        'type.googleapis.com/google.rpc.BadRequest',
      ),
      reason: fc.constantFrom('A', 'B', ''),
      requestId: fc.constantFrom('r1', 'r2', ''),
      retryDelay: fc.constantFrom('1s', '2.5s', 'x'),
      links: fc.constantFrom([{ url: 'https://a' }], [{ url: 'https://b' }], []),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(detail, fc.constant(null)), { maxLength: 6 }), (details) => {
        const body = { error: { code: 429, message: 'm', status: 'RESOURCE_EXHAUSTED', details } };
        const first = (kind: string) => details.find((d) => d?.['@type'].endsWith(`/google.rpc.${kind}`));
        const delay = first('RetryInfo')?.retryDelay;
        const decoded = decodeAnyError({ status: 429, body: JSON.stringify(body) });
        expect(decoded?.format).toBe('google');
        expect(decoded?.code).toBe(first('ErrorInfo')?.reason || 'RESOURCE_EXHAUSTED');
        expect(decoded?.requestId).toBe(first('RequestInfo')?.requestId || undefined);
        expect(decoded?.retryAfterMs).toBe(
          delay && delay !== 'x' ? Math.ceil(Number(delay.slice(0, -1)) * 1000) : undefined,
        );
        expect(decoded?.link).toBe(first('Help')?.links[0]?.url);
      }),
      { numRuns: 500 },
    );
  });
});
