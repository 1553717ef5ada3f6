import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseEntry } from '../../src/catalog/index.ts';
import { anyDecoders, decodeAnyError } from '../../src/decoders/index.ts';
import { reasonPhrase } from '../../src/formats/index.ts';
import {
  ApiError,
  byStatus,
  type DecodedError,
  decodeError,
  envelope,
  flatFormat,
  legacy,
  nested,
  problem,
  spring,
  springFormat,
  structured,
  toRequestId,
  trace,
  transition,
  type WireFormat,
} from '../../src/index.ts';
import { DECODER_MEMBERS } from '../support/decoder-members.ts';

/** The decoders' member names, plus a delay member and prototype names no body may corrupt. */
const MEMBERS = [...DECODER_MEMBERS, 'retryDelay', '__proto__', 'constructor', 'prototype', 'toString'];
const HEADER_NAMES = [
  'content-type',
  'Content-Type',
  'retry-after',
  'Retry-After',
  'x-request-id',
  'x-correlation-id',
  'request-id',
  'x-ms-error-code',
  'x-ms-request-id',
  'x-amzn-errortype',
  'x-github-request-id',
  'x-ratelimit-remaining',
  'retry-after-ms',
  'x-should-retry',
  'RateLimit',
];

const member = fc.constantFrom(...MEMBERS);
const nearMiss = fc.letrec((tie) => ({
  body: fc.dictionary(member, fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), tie('body')), {
    maxKeys: 6,
  }),
})).body;
const htmlish = fc
  .array(
    fc.constantFrom(
      '<html>',
      '<title>',
      '</title>',
      '<h1>',
      '</h1>',
      '<',
      '>',
      '&amp;',
      '&#x110000;',
      '&#0;',
      '&#xD800;',
      'text ',
      '<script>',
      '<!--',
      '-->',
      '<style',
      '\u001b[31m',
      '\uD83D',
      ' ',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const body = fc.oneof(
  fc.jsonValue(),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary' }),
  nearMiss,
  nearMiss.map((value) => JSON.stringify(value)),
  fc.record({ error: nearMiss }),
  htmlish,
  fc.anything({
    withNullPrototype: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withBigInt: true,
    withDate: true,
  }),
);
const headerValue = fc.oneof(
  fc.string(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.integer(),
  fc.constant(undefined),
  fc.constantFrom('application/json', 'application/problem+json', 'text/html', 'text/plain', '120', '-1'),
  fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
);
const headers = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string()), headerValue, { maxKeys: 5 }),
  fc
    .dictionary(fc.constantFrom(...HEADER_NAMES), fc.stringMatching(/^[\x21-\x7e]{0,20}$/), { maxKeys: 4 })
    .map((record) => new Headers(record)),
);
const status = fc.oneof(
  fc.integer({ min: 100, max: 599 }),
  fc.integer(),
  fc.double(),
  fc.constant(Number.NaN),
);
const now = fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.double());

function assertDecoded(result: DecodedError | undefined): void {
  if (result === undefined) return;
  expect(typeof result.format).toBe('string');
  expect(Number.isInteger(result.status)).toBe(true);
  expect(typeof result.message).toBe('string');
  for (const optional of [result.code, result.requestId, result.link])
    expect(optional === undefined || typeof optional === 'string').toBe(true);
  if (result.retryAfterMs !== undefined) {
    expect(Number.isFinite(result.retryAfterMs)).toBe(true);
    expect(result.retryAfterMs).toBeGreaterThanOrEqual(0);
  }
  expect(typeof result.fields === 'object' && result.fields !== null && !Array.isArray(result.fields)).toBe(
    true,
  );
  expect(Object.hasOwn(result.fields, '__proto__')).toBe(false);
}

describe('decodeError and decodeAnyError never throw', () => {
  it('on arbitrary bodies, headers, statuses and clocks; results are well-formed', () => {
    fc.assert(
      fc.property(status, headers, body, now, (s, h, b, n) => {
        const input = { status: s, headers: h as never, body: b, now: n };
        assertDecoded(decodeError(input));
        assertDecoded(decodeAnyError(input));
        // Every built-in decoder, core and ecosystem.
        for (const decoder of anyDecoders) assertDecoded(decoder.decode(input));
      }),
      { numRuns: 2000 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('on arbitrary inputs that are not even DecodeInput', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        assertDecoded(decodeError(input as never));
        assertDecoded(decodeAnyError(input as never));
      }),
    );
  });
});

interface Case {
  readonly label: string;
  readonly format: WireFormat;
  /** Name of the decoder `decodeError` should pick. */
  readonly detectedAs: string;
  readonly hasCode: boolean;
  readonly requestId: (correlationId: string) => string;
  readonly message?: (error: ApiError) => string;
}

const sameId = (id: string) => id;
const CASES: readonly Case[] = [
  { label: 'structured', format: structured, detectedAs: 'structured', hasCode: true, requestId: sameId },
  { label: 'legacy', format: legacy, detectedAs: 'legacy', hasCode: false, requestId: sameId },
  {
    label: 'transition (before)',
    format: transition({ legacyUntil: 1000, now: () => 999 }),
    detectedAs: 'structured',
    hasCode: true,
    requestId: sameId,
  },
  {
    label: 'transition (after)',
    format: transition({ legacyUntil: 1000, now: () => 1000 }),
    detectedAs: 'structured',
    hasCode: true,
    requestId: sameId,
  },
  { label: 'envelope', format: envelope, detectedAs: 'envelope', hasCode: true, requestId: sameId },
  { label: 'trace', format: trace, detectedAs: 'trace', hasCode: false, requestId: sameId },
  {
    label: 'spring',
    format: spring,
    detectedAs: 'spring',
    hasCode: false,
    requestId: sameId,
    // The seed's Spring body has no message: the reason phrase is all a client gets.
    message: (error) => reasonPhrase(error.status),
  },
  {
    label: 'spring with message',
    format: springFormat({ includeMessage: true }),
    detectedAs: 'spring',
    hasCode: false,
    requestId: sameId,
  },
  ...(['error', 'message', 'message-status'] as const).map((shape) => ({
    label: `flat (${shape})`,
    format: flatFormat({ shape: () => shape }),
    detectedAs: 'flat',
    hasCode: false,
    requestId: sameId,
  })),
  { label: 'nested', format: nested, detectedAs: 'nested', hasCode: true, requestId: toRequestId },
  { label: 'problem', format: problem, detectedAs: 'problem', hasCode: true, requestId: sameId },
];

const fieldValue = fc
  .jsonValue({ maxDepth: 2 })
  .filter((value) => !JSON.stringify(value).includes('"__proto__"'));
const errorArb = fc
  .record({
    id: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,15}$/),
    title: fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim() !== ''),
    status: fc.integer({ min: 400, max: 599 }),
    message: fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).filter((m) => m.trim() !== ''),
    fields: fc.dictionary(fc.stringMatching(/^x_[a-z]{1,8}$/), fieldValue, { maxKeys: 3 }),
    retryAfter: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
  })
  .map(({ id, title, status, message, fields, retryAfter }) => {
    const entry = normaliseEntry(id, {
      title,
      status,
      category: 'Property',
      message,
      fix: ['n/a'],
      fields: Object.keys(fields),
      ...(retryAfter === undefined ? {} : { retryable: true, retryAfterSeconds: retryAfter }),
    });
    return { error: new ApiError(entry, fields), fields, retryAfter };
  });

describe('encode → decode roundtrip', () => {
  for (const c of [...CASES, { ...CASES[5]!, label: 'byStatus', format: byStatus({ 429: spring }, trace) }]) {
    it(`${c.label}: same code, message, status, request id and delay`, () => {
      fc.assert(
        fc.property(errorArb, fc.uuid(), ({ error, fields, retryAfter }, correlationId) => {
          const encoded = c.format.encode(error, {
            correlationId,
            docsBase: 'https://docs.example.test/errors',
            path: '/p',
          });
          // As a server sends it and a client receives it: a content type, then bytes.
          const headers = { 'content-type': c.format.contentType, ...encoded.headers };
          const text = JSON.stringify(encoded.body);
          const viaSpring = c.label === 'byStatus' && error.status === 429;
          const expected = {
            status: error.status,
            code: c.hasCode ? error.id : undefined,
            message: viaSpring ? reasonPhrase(429) : (c.message?.(error) ?? error.message),
            requestId: c.requestId(correlationId),
            retryAfterMs: retryAfter === undefined ? undefined : retryAfter * 1000,
          };
          const own = c.format.decode({ status: encoded.status, headers, body: JSON.parse(text) });
          const detected = decodeError({ status: encoded.status, headers, body: text });
          expect(own).toMatchObject(expected);
          expect(detected).toMatchObject({ ...expected, format: viaSpring ? 'spring' : c.detectedAs });
          expect(detected?.fields).toMatchObject(JSON.parse(JSON.stringify(fields)));
        }),
        { numRuns: 150 },
      );
    });
  }
});
