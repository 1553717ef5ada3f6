import { describe, expect, it } from 'vitest';
import { retrySignals } from '../../src/client/index.ts';
import { anyDecoders, decodeAnyError, decodeWith, generic } from '../../src/decoders/index.ts';
import { decoders } from '../../src/formats/index.ts';
import { decodeError, parseBody, plainText } from '../../src/index.ts';

describe('decode-only shapes', () => {
  it('the core leaves ecosystem shapes to faultline/decoders: Stripe reads as nested there', () => {
    const body = { error: { type: 'card_error', code: 'card_declined', message: 'm', doc_url: 'u' } };
    expect(decodeError({ status: 402, body })).toMatchObject({ format: 'nested', code: 'card_declined' });
    expect(decodeAnyError({ status: 402, body })).toMatchObject({ format: 'stripe', link: 'u' });
  });

  it('Google (AIP-193): status name as code, RetryInfo delay, Help link', () => {
    const body = {
      error: {
        code: 429,
        message: 'Quota exceeded for quota metric "Requests".',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.500s' },
          {
            '@type': 'type.googleapis.com/google.rpc.Help',
            links: [{ description: 'Quotas', url: 'https://cloud.google.com/docs/quotas' }],
          },
        ],
      },
    };
    const decoded = decodeAnyError({ status: 429, body });
    expect(decoded).toMatchObject({
      format: 'google',
      status: 429,
      code: 'RESOURCE_EXHAUSTED',
      message: 'Quota exceeded for quota metric "Requests".',
      link: 'https://cloud.google.com/docs/quotas',
      retryAfterMs: 1500,
    });
    expect(decoded?.fields['details']).toEqual(body.error.details);
    // The header, when present, wins over the body's hint.
    expect(decodeAnyError({ status: 429, headers: { 'retry-after': '3' }, body })?.retryAfterMs).toBe(3000);
  });

  it('Stripe: code, else type; doc_url as link; Request-Id header or request_log_url', () => {
    const body = {
      error: {
        code: 'resource_missing',
        doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
        message: "No such customer: 'cus_123'",
        param: 'id',
        type: 'invalid_request_error',
      },
    };
    expect(decodeAnyError({ status: 404, headers: { 'Request-Id': 'req_abc123' }, body })).toMatchObject({
      format: 'stripe',
      status: 404,
      code: 'resource_missing',
      message: "No such customer: 'cus_123'",
      requestId: 'req_abc123',
      link: 'https://stripe.com/docs/error-codes/resource-missing',
      fields: { param: 'id', type: 'invalid_request_error' },
    });
    const bare = {
      error: { type: 'api_error', request_log_url: 'https://dashboard.stripe.com/logs/req_XyZ9?t=1' },
    };
    expect(decodeAnyError({ status: 500, body: bare })).toMatchObject({
      format: 'stripe',
      code: 'api_error',
      message: 'api_error',
      requestId: 'req_XyZ9',
    });
  });

  it('nginx 502 page: the <title> (opt-in: decodeAnyError)', () => {
    const page =
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';
    expect(
      decodeAnyError({ status: 502, headers: { 'content-type': 'text/html' }, body: page }),
    ).toMatchObject({
      format: 'html',
      status: 502,
      code: undefined,
      message: '502 Bad Gateway',
    });
  });

  it('a CDN page: tags and entities inside the title, and its ray id header', () => {
    const page = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
      <title>api.example.com | 524: A timeout occurred &amp; the &lt;origin&gt; didn&#39;t answer</title>
      <style>body{color:red}</style></head><body><h1>Ignored</h1></body></html>`;
    expect(decodeAnyError({ status: 524, headers: { 'x-request-id': 'ray-1' }, body: page })).toMatchObject({
      format: 'html',
      message: "api.example.com | 524: A timeout occurred & the <origin> didn't answer",
      requestId: 'ray-1',
    });
  });

  it('falls back to the first <h1>, then the text, then the reason phrase', () => {
    const h1 = '<html><body><h1 class="x">Service <b>Unavailable</b></h1><p>try later</p></body></html>';
    expect(decodeAnyError({ status: 503, body: h1 })?.message).toBe('Service Unavailable');
    const text =
      '<html><body><script>var secret = 1;</script><!-- note --><p>Gateway timed out</p></body></html>';
    expect(decodeAnyError({ status: 504, body: text })?.message).toBe('Gateway timed out');
    expect(decodeAnyError({ status: 503, body: '<html><body></body></html>' })?.message).toBe(
      'Service Unavailable',
    );
    // A status outside the client's short phrase table still says what came back.
    expect(decodeAnyError({ status: 507, body: '<html><body></body></html>' })?.message).toBe('HTTP 507');
  });

  it('caps a long HTML title and keeps it on one line', () => {
    const page = `<html><title>${'very long title '.repeat(100)}</title></html>`;
    const message = decodeAnyError({ status: 500, body: page })?.message ?? '';
    expect(message.length).toBeLessThanOrEqual(300);
    expect(message.endsWith('…')).toBe(true);
  });

  it('the core reads no HTML page: undefined, never markup as a message', () => {
    const page = '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad</h1></body></html>';
    expect(
      decodeError({ status: 502, headers: { 'content-type': 'text/html' }, body: page }),
    ).toBeUndefined();
    // By its first tag when mislabelled, and not as plain text either.
    expect(
      decodeError({ status: 502, headers: { 'content-type': 'text/plain' }, body: page }),
    ).toBeUndefined();
    expect(
      decodeError({ status: 503, body: '<!DOCTYPE html><html><body>Down</body></html>' }),
    ).toBeUndefined();
    expect(plainText.decode({ status: 502, body: page })).toBeUndefined();
    // Text that merely starts with a tag-like word is still text.
    expect(decodeError({ status: 500, body: '<oops> upstream failed' })?.format).toBe('text');
  });

  it('plain text: one clean line, terminal escapes removed, capped', () => {
    expect(
      decodeError({ status: 503, body: 'upstream connect error or disconnect/reset before headers' }),
    ).toMatchObject({
      format: 'text',
      status: 503,
      code: undefined,
      message: 'upstream connect error or disconnect/reset before headers',
    });
    expect(decodeError({ status: 500, body: 'line one\n\tline two\u001b[31m red' })?.message).toBe(
      'line one line two [31m red',
    );
    const long = decodeError({ status: 500, body: 'x'.repeat(10_000) })?.message ?? '';
    expect(long).toHaveLength(300);
    expect(decodeError({ status: 502, body: '   \n ' })).toBeUndefined();
  });

  it('common conventions (opt-in: decodeAnyError): OAuth 2, FastAPI, GraphQL, JSON:API', () => {
    expect(
      decodeAnyError({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The code has expired.' },
      }),
    ).toMatchObject({ format: 'generic', code: 'invalid_grant', message: 'The code has expired.' });
    expect(decodeAnyError({ status: 404, body: { detail: 'Not Found' } })).toMatchObject({
      format: 'generic',
      message: 'Not Found',
    });
    expect(
      decodeAnyError({
        status: 200,
        body: {
          data: null,
          errors: [{ message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
        },
      }),
    ).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', message: 'Cannot query field "x"' });
    expect(
      decodeAnyError({
        status: 200,
        body: {
          errors: [{ status: '422', code: 'too_short', title: 'Too short', detail: 'Name is too short.' }],
        },
      }),
    ).toMatchObject({ status: 422, code: 'too_short', message: 'Name is too short.' });
  });

  it('the core leaves the generic conventions to faultline/decoders', () => {
    const oauth = { error: 'invalid_grant', error_description: 'The code has expired.' };
    // A lone string `error` is seed 003's flat body: the OAuth description is then a field.
    expect(decodeError({ status: 400, body: oauth })).toMatchObject({
      format: 'flat',
      code: undefined,
      message: 'invalid_grant',
      fields: { error_description: 'The code has expired.' },
    });
    expect(decodeError({ status: 404, body: { detail: 'Not Found' } })).toBeUndefined();
    expect(decodeError({ status: 422, body: { errors: [{ message: 'Too short' }] } })).toBeUndefined();
    expect(generic.decode({ status: 404, body: { detail: 'Not Found' } })?.format).toBe('generic');
  });

  it('Fastify and NestJS defaults read as flat, with their code and status', () => {
    const body = {
      statusCode: 404,
      code: 'FST_ERR_NOT_FOUND',
      error: 'Not Found',
      message: 'Route GET:/x not found',
    };
    expect(decodeError({ status: 404, body })).toMatchObject({
      format: 'flat',
      status: 404,
      code: 'FST_ERR_NOT_FOUND',
      message: 'Route GET:/x not found',
      fields: { error: 'Not Found' },
    });
  });
});

describe('problem details (RFC 9457) from other servers', () => {
  it('the RFC example: code from nothing, link from type, instance kept', () => {
    const body = {
      type: 'https://example.com/probs/out-of-credit',
      title: 'You do not have enough credit.',
      detail: 'Your current balance is 30, but that costs 50.',
      instance: '/account/12345/msgs/abc',
      balance: 30,
    };
    expect(
      decodeError({ status: 403, headers: { 'Content-Type': 'application/problem+json' }, body }),
    ).toMatchObject({
      format: 'problem',
      status: 403,
      code: undefined,
      message: 'Your current balance is 30, but that costs 50.',
      link: 'https://example.com/probs/out-of-credit',
      fields: { title: 'You do not have enough credit.', instance: '/account/12345/msgs/abc', balance: 30 },
    });
  });

  it('code from the type URL fragment; request id from an extension member', () => {
    const body = {
      type: 'https://errors.example/catalog#quota%20exceeded',
      title: 'Quota',
      status: 429,
      traceId: 't-1',
    };
    expect(decodeError({ status: 429, body })).toMatchObject({
      code: 'quota exceeded',
      message: 'Quota',
      requestId: 't-1',
    });
  });

  it('an empty problem with its content type: about:blank, the reason phrase', () => {
    const decoded = decodeError({
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: '{}',
    });
    expect(decoded).toMatchObject({
      format: 'problem',
      code: undefined,
      message: 'Not Found',
      link: undefined,
    });
  });

  it('ignores members of the wrong type, as the RFC says', () => {
    const body = { type: 42, title: ['x'], status: 'teapot', detail: 'Out of stock.' };
    const decoded = decodeError({
      status: 409,
      headers: { 'content-type': 'application/problem+json' },
      body,
    });
    expect(decoded).toMatchObject({
      format: 'problem',
      status: 409,
      message: 'Out of stock.',
      link: undefined,
    });
  });
});

describe('order of specificity', () => {
  it('anyDecoders is the core order with the opt-in shapes in their places', () => {
    const ecosystem = ['google', 'openai', 'stripe', 'azure', 'aws', 'github', 'generic', 'html'];
    expect(anyDecoders.filter((d) => !ecosystem.includes(d.name))).toEqual(decoders);
    expect(anyDecoders.map((d) => d.name).filter((name) => ecosystem.includes(name))).toEqual(ecosystem);
  });

  it('a nested error with a Stripe-like type is still nested (request_id)', () => {
    const body = { error: { code: 'x', message: 'm', request_id: 'req_1', type: 'card_error' } };
    expect(decodeError({ status: 402, body })?.format).toBe('nested');
  });

  it('the envelope is not taken for nested, nor the Google shape for either', () => {
    const env = {
      error: { code: 'MISSING_AUTH', message: 'm', httpStatus: 401 },
      status: 'error',
      status_code: 401,
    };
    expect(decodeError({ status: 401, body: env })?.format).toBe('envelope');
    const goo = { error: { code: 401, message: 'm', status: 'UNAUTHENTICATED' } };
    expect(decodeAnyError({ status: 401, body: goo })?.format).toBe('google');
    // Without the ecosystem shapes, a numeric code is neither envelope nor nested.
    expect(decodeError({ status: 401, body: goo })).toBeUndefined();
  });

  it('a 2xx with an error status in the body reports the body status', () => {
    const env = {
      error: { code: 'NOT_FOUND', message: 'm', httpStatus: 404 },
      status: 'error',
      status_code: 404,
    };
    expect(decodeError({ status: 200, body: env })?.status).toBe(404);
  });
});

describe('fields, computed on first read', () => {
  it('drops __proto__ keys at any depth of a text body, as parseBody does, and serialises', () => {
    for (const key of ['__proto__', '\\u005f_proto__']) {
      const text = `{"message":"m","trace_id":"t","details":{"${key}":{"polluted":true},"a":1}}`;
      const decoded = decodeError({ status: 400, body: text });
      expect(decoded?.fields).toEqual({ details: { a: 1 } });
      expect(Object.keys(decoded?.fields['details'] as object)).toEqual(['a']);
      expect(JSON.parse(JSON.stringify(decoded))).toEqual({
        format: 'trace',
        status: 400,
        message: 'm',
        requestId: 't',
        fields: { details: { a: 1 } },
      });
    }
  });

  it('a custom decoder list (decodeWith) is tried in turn, with the retry headers applied to its answer', () => {
    const mine = {
      name: 'mine',
      decode: () => ({
        format: 'mine',
        status: 418,
        code: 'tea',
        message: 'short and stout',
        requestId: undefined,
        link: undefined,
        retryAfterMs: undefined,
        fields: { pot: 1 },
      }),
    };
    const input = {
      status: 418,
      headers: { 'retry-after-ms': '250', 'x-should-retry': 'false' },
      body: '{}',
    };
    expect(decodeWith(input, [mine])).toEqual({ ...mine.decode(), retryAfterMs: 250, shouldRetry: false });
    expect(decodeWith(input, [])).toBeUndefined();
    expect(decodeAnyError(input, [mine])).toEqual(decodeWith(input, [mine]));
    // A decoder that throws is skipped; the built-in list still answers after it.
    const broken = {
      name: 'broken',
      decode: (): never => {
        throw new Error('boom');
      },
    };
    const body = '{"message":"m","trace_id":"t"}';
    expect(decodeWith({ ...input, body }, [broken, ...decoders])).toMatchObject({
      format: 'trace',
      retryAfterMs: 250,
      shouldRetry: false,
    });
  });
});

describe('hostile and broken input', () => {
  it('returns undefined for non-objects and unknown shapes', () => {
    const inputs: unknown[] = [null, undefined, 42, 'text', [], () => 1];
    for (const input of inputs) expect(decodeError(input as never)).toBeUndefined();
    for (const body of [null, 0, true, [], [1, 2], {}, { data: 1 }, { error: 5 }, { message: 7 }])
      expect(decodeError({ status: 500, body })).toBeUndefined();
  });

  it('reads members that are not enumerable (opt-in: decodeAnyError): an Error, getters of a class, inherited ones', () => {
    expect(decodeAnyError({ status: 500, body: new Error('boom') })).toMatchObject({
      format: 'flat',
      message: 'boom',
    });
    class Body {
      get message() {
        return 'm';
      }
      get trace_id() {
        return 't';
      }
    }
    expect(decodeAnyError({ status: 500, body: new Body() })).toMatchObject({
      format: 'trace',
      requestId: 't',
    });
    const inherited = Object.create({ error: { code: 'c', message: 'm' } });
    expect(decodeAnyError({ status: 400, body: inherited })).toMatchObject({ format: 'nested', code: 'c' });
  });

  it('the core reads what a for…in pass sees of an object body: not an Error’s message, not getters', () => {
    expect(decodeError({ status: 500, body: new Error('boom') })).toBeUndefined();
    class Body {
      get message() {
        return 'm';
      }
    }
    expect(decodeError({ status: 500, body: new Body() })).toBeUndefined();
    // Inherited enumerable members are seen.
    const inherited = Object.create({ error: { code: 'c', message: 'm' } });
    expect(decodeError({ status: 400, body: inherited })).toMatchObject({ format: 'nested', code: 'c' });
  });

  it('wrong field types never crash a decoder', () => {
    const bodies = [
      { error_id: 1, message: {} },
      { error: { code: 'X', message: 5, httpStatus: 'x' } },
      { error: { code: [], message: 'm' } },
      { timestamp: {}, status: 403, error: 'Forbidden' },
      { detail: null, status_code: 'abc' },
      { errors: 'none' },
      { type: 1, title: 2, detail: 3 },
    ];
    for (const body of bodies) expect(() => decodeError({ status: 400, body })).not.toThrow();
  });

  it('survives throwing getters, revoked proxies and throwing header objects', () => {
    const trap = {
      get error(): never {
        throw new Error('boom');
      },
    };
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const headers = {
      get(): never {
        throw new Error('boom');
      },
    };
    expect(decodeError({ status: 500, body: trap })).toBeUndefined();
    expect(decodeError({ status: 500, body: proxy })).toBeUndefined();
    // Headers that throw are ignored; the body still decodes.
    expect(decodeError({ status: 500, headers, body: { message: 'm', trace_id: 't' } })).toMatchObject({
      format: 'trace',
      requestId: 't',
    });
  });

  it('never lets __proto__ keys reach a prototype', () => {
    const text =
      '{"message":"m","trace_id":"t","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
    const decoded = decodeError({ status: 400, body: text });
    expect(decoded?.format).toBe('trace');
    expect(Object.keys(decoded?.fields ?? {})).toEqual([]);
    const merged = Object.assign({}, decoded?.fields);
    expect((merged as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // Also when the body was parsed by someone else, keeping `__proto__` as an own key.
    const raw = JSON.parse(
      '{"error":{"code":"c","message":"m","request_id":"r","__proto__":{"polluted":true}}}',
    );
    expect(Object.keys(decodeError({ status: 400, body: raw })?.fields ?? {})).toEqual([]);
  });

  it('handles huge and pathological strings', () => {
    const huge = `<html><title>${'<title'.repeat(200_000)}`;
    expect(decodeAnyError({ status: 502, body: huge })?.format).toBe('html');
    expect(decodeError({ status: 502, body: huge })).toBeUndefined();
    const unclosed = `<html>${'<'.repeat(500_000)}`;
    expect(decodeAnyError({ status: 502, body: unclosed })?.format).toBe('html');
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(() => decodeError({ status: 500, body: deep })).not.toThrow();
    expect(decodeError({ status: 500, body: 'x'.repeat(5_000_000) })?.message).toHaveLength(300);
  });

  it('reads bytes as UTF-8 (opt-in: decodeAnyError, decodeWith)', () => {
    const bytes = new TextEncoder().encode('{"message":"m","trace_id":"t"}');
    expect(decodeAnyError({ status: 500, body: bytes })?.requestId).toBe('t');
    expect(decodeAnyError({ status: 500, body: bytes.buffer })?.requestId).toBe('t');
    expect(decodeWith({ status: 500, body: bytes }, decoders)?.requestId).toBe('t');
    // The core decodes text and parsed JSON: bytes are no body it reads.
    expect(decodeError({ status: 500, body: bytes })).toBeUndefined();
    expect(decodeError({ status: 500, body: bytes.buffer })).toBeUndefined();
  });
});

describe('parseBody', () => {
  it('parses JSON by content type or by its first character', () => {
    expect(parseBody('{"a":1}', 'application/json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseBody('{"a":1}', 'application/problem+json')).toEqual({ a: 1 });
    expect(parseBody(' [1] ', 'text/plain')).toEqual([1]);
    expect(parseBody('\uFEFF{"a":1}', null)).toEqual({ a: 1 });
    expect(parseBody('"quoted"', 'application/json')).toBe('quoted');
  });

  it('returns the text when it is not JSON', () => {
    expect(parseBody('Bad Gateway', 'application/json')).toBe('Bad Gateway');
    expect(parseBody('{broken', 'application/json')).toBe('{broken');
    expect(parseBody('<html></html>', 'text/html')).toBe('<html></html>');
    expect(parseBody('', 'application/json')).toBe('');
    expect(parseBody(undefined as never)).toBeUndefined();
  });

  it('drops __proto__ keys', () => {
    const parsed = parseBody('{"__proto__":{"x":1},"a":{"__proto__":{"y":2}}}') as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['a']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed['a'] as object)).toEqual([]);
  });
});

describe('retrySignals', () => {
  it('reads the retry headers alone, and never throws', () => {
    expect(retrySignals({ 'retry-after': '3', 'x-should-retry': 'false' })).toEqual({
      retryAfterMs: 3000,
      shouldRetry: false,
    });
    expect(retrySignals(new Headers({ 'retry-after-ms': '250', ratelimit: '"a";r=0;t=9' }))).toEqual({
      retryAfterMs: 250,
      shouldRetry: undefined,
    });
    const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
    expect(retrySignals({ 'retry-after': date }, Date.parse(date) - 5000).retryAfterMs).toBe(5000);
    const hostile = {
      get(): never {
        throw new Error('boom');
      },
    };
    const clock = {
      valueOf(): never {
        throw new Error('boom');
      },
    };
    expect(retrySignals(hostile, clock as never)).toEqual({
      retryAfterMs: undefined,
      shouldRetry: undefined,
    });
    expect(() => retrySignals({ 'retry-after': date }, clock as never)).not.toThrow();
  });
});
