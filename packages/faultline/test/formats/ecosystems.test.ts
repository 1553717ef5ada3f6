import { describe, expect, it } from 'vitest';
import { decodeAnyError } from '../../src/decoders/index.ts';
import { type DecodedError, decodeError } from '../../src/index.ts';

/**
 * One error body per documented convention of each ecosystem, as the service would send it
 * (headers included), and what decoding must give: `decodeAnyError` (faultline/decoders) for
 * all of them; the core `decodeError` for the vectors of its own shapes (the last three). Messages are ours; shapes, member names,
 * header names and code spellings follow each provider's public documentation.
 */
interface Vector {
  readonly name: string;
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
  readonly expected: Partial<DecodedError>;
}

const NOW = Date.parse('2026-01-01T00:00:00Z');

const VECTORS: readonly Vector[] = [
  {
    name: 'Google AIP-193: ErrorInfo.reason is the code, RetryInfo the delay, RequestInfo the id',
    status: 429,
    body: {
      error: {
        code: 429,
        message: 'Too many reads for this project.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'example.googleapis.com',
            metadata: { quota_limit: 'ReadsPerMinute' },
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12.250s' },
          { '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId: 'g-req-1' },
        ],
      },
    },
    expected: {
      format: 'google',
      status: 429,
      code: 'RATE_LIMIT_EXCEEDED',
      requestId: 'g-req-1',
      retryAfterMs: 12_250,
    },
  },
  {
    name: 'Google without ErrorInfo: the canonical status name',
    status: 503,
    body: { error: { code: 503, message: 'Backend unavailable.', status: 'UNAVAILABLE' } },
    expected: { format: 'google', code: 'UNAVAILABLE', retryAfterMs: undefined },
  },
  {
    name: 'RFC 9457 problem with an extension member',
    status: 403,
    headers: { 'content-type': 'application/problem+json' },
    body: {
      type: 'https://example.com/probs/out-of-credit',
      title: 'Not enough credit.',
      status: 403,
      detail: 'This call costs 50; 30 are left.',
      instance: '/account/12345/msgs/abc',
      balance: 30,
    },
    expected: { format: 'problem', status: 403, message: 'This call costs 50; 30 are left.' },
  },
  {
    name: 'Stripe card error with Request-Id and Stripe-Should-Retry: false',
    status: 402,
    headers: { 'request-id': 'req_abc123', 'stripe-should-retry': 'false' },
    body: {
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'The card has too little money on it.',
        param: 'source',
        doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      },
    },
    expected: {
      format: 'stripe',
      code: 'card_declined',
      requestId: 'req_abc123',
      link: 'https://stripe.com/docs/error-codes/card-declined',
      shouldRetry: false,
    },
  },
  {
    name: 'GitHub 404',
    status: 404,
    headers: { 'x-github-request-id': 'C0DE:1234:5678:9ABC:DEF0' },
    body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
    expected: {
      format: 'github',
      status: 404,
      code: undefined,
      message: 'Not Found',
      requestId: 'C0DE:1234:5678:9ABC:DEF0',
      link: 'https://docs.github.com/rest',
    },
  },
  {
    name: 'GitHub 422 validation: the first errors[].code',
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }],
      documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
    },
    expected: { format: 'github', code: 'missing_field', message: 'Validation Failed' },
  },
  {
    name: 'GitHub primary rate limit: wait until x-ratelimit-reset',
    status: 403,
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 90) },
    body: { message: 'API rate limit exceeded.', documentation_url: 'https://docs.github.com/rest' },
    expected: { format: 'github', retryAfterMs: 90_000 },
  },
  {
    name: 'GitHub secondary rate limit: Retry-After wins',
    status: 403,
    headers: {
      'retry-after': '60',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(NOW / 1000 + 900),
    },
    body: { message: 'Secondary rate limit hit.', documentation_url: 'https://docs.github.com/rest' },
    expected: { format: 'github', retryAfterMs: 60_000 },
  },
  {
    name: 'AWS JSON 1.1: __type with a namespace',
    status: 400,
    headers: { 'x-amzn-requestid': 'aws-req-1' },
    body: { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'No such table.' },
    expected: {
      format: 'aws',
      code: 'ResourceNotFoundException',
      message: 'No such table.',
      requestId: 'aws-req-1',
    },
  },
  {
    name: 'AWS REST-JSON: X-Amzn-ErrorType with a URI suffix, capitalised Message',
    status: 429,
    headers: {
      'x-amzn-errortype': 'TooManyRequestsException:http://internal.amazon.com/coral/com.amazon.x/',
      'x-amzn-requestid': 'aws-req-2',
      'retry-after': '2',
    },
    body: { Message: 'Slow down.' },
    expected: { format: 'aws', code: 'TooManyRequestsException', message: 'Slow down.', retryAfterMs: 2000 },
  },
  {
    name: 'AWS query protocol XML',
    status: 400,
    body: '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate &amp; burst exceeded</Message></Error><RequestId>aws-req-3</RequestId></ErrorResponse>',
    expected: { format: 'aws', code: 'Throttling', message: 'Rate & burst exceeded', requestId: 'aws-req-3' },
  },
  {
    name: 'S3 XML with x-amz-request-id',
    status: 404,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'S3REQ' },
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>No object under this key.</Message><Key>a.txt</Key><RequestId>S3REQ</RequestId><HostId>h0st</HostId></Error>',
    expected: { format: 'aws', code: 'NoSuchKey', requestId: 'S3REQ' },
  },
  {
    name: 'AWS bodiless error: the header alone',
    status: 400,
    headers: { 'x-amzn-errortype': 'ValidationException' },
    body: '',
    expected: { format: 'aws', code: 'ValidationException', message: 'ValidationException' },
  },
  {
    name: 'Azure REST guidelines error with innererror and x-ms-request-id',
    status: 404,
    headers: { 'x-ms-request-id': 'az-1', 'x-ms-error-code': 'ResourceNotFound' },
    body: {
      error: {
        code: 'NotFound',
        message: 'The resource is not there.',
        target: 'widget',
        innererror: { code: 'WidgetMissing' },
      },
    },
    expected: { format: 'azure', code: 'ResourceNotFound', requestId: 'az-1' },
  },
  {
    name: 'Azure ARM with retry-after-ms over Retry-After',
    status: 429,
    headers: { 'x-ms-correlation-request-id': 'arm-1', 'retry-after': '5', 'retry-after-ms': '1500' },
    body: { error: { code: 'TooManyRequests', message: 'Throttled.' } },
    expected: { format: 'azure', code: 'TooManyRequests', requestId: 'arm-1', retryAfterMs: 1500 },
  },
  {
    name: 'Azure Storage XML with x-ms-error-code',
    status: 403,
    headers: { 'x-ms-error-code': 'AuthorizationFailure', 'x-ms-request-id': 'st-1' },
    body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationFailure</Code><Message>Not allowed.\nRequestId:st-1</Message></Error>',
    expected: { format: 'azure', code: 'AuthorizationFailure', message: 'Not allowed.', requestId: 'st-1' },
  },
  {
    name: 'Azure HEAD: x-ms-error-code and no body',
    status: 404,
    headers: { 'x-ms-error-code': 'BlobNotFound', 'x-ms-retry-after-ms': '250' },
    body: '',
    expected: { format: 'azure', code: 'BlobNotFound', retryAfterMs: 250 },
  },
  {
    name: 'OpenAI rate limit: retry-after-ms, x-should-retry, x-request-id',
    status: 429,
    headers: {
      'x-request-id': 'req_oa1',
      'retry-after-ms': '820',
      'retry-after': '1',
      'x-should-retry': 'true',
    },
    body: {
      error: {
        message: 'Requests per minute reached.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    },
    expected: {
      format: 'openai',
      code: 'rate_limit_exceeded',
      requestId: 'req_oa1',
      retryAfterMs: 820,
      shouldRetry: true,
    },
  },
  {
    name: 'OpenAI quota: code equals type; no retry',
    status: 429,
    headers: { 'x-should-retry': 'false' },
    body: {
      error: {
        message: 'Plan quota used up.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    },
    expected: { format: 'openai', code: 'insufficient_quota', shouldRetry: false },
  },
  {
    name: 'OpenAI invalid request: null code falls back to type',
    status: 400,
    body: {
      error: { message: 'Unknown parameter.', type: 'invalid_request_error', param: 'foo', code: null },
    },
    expected: { format: 'openai', code: 'invalid_request_error' },
  },
  {
    name: 'plain text from a proxy, with a RateLimit header and nothing else',
    status: 429,
    headers: { 'content-type': 'text/plain', ratelimit: '"default";r=0;t=7' },
    body: 'Too Many Requests\n',
    expected: { format: 'text', message: 'Too Many Requests', retryAfterMs: 7000 },
  },
  {
    name: 'HTML page from a load balancer, Retry-After as an HTTP-date in the past',
    status: 503,
    headers: { 'content-type': 'text/html', 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' },
    body: '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503</h1></center></body></html>',
    expected: { format: 'html', message: '503 Service Temporarily Unavailable', retryAfterMs: 0 },
  },
  {
    name: 'junk Retry-After is absent; an exhausted RateLimit policy is the next signal',
    status: 503,
    headers: { 'retry-after': 'soon', ratelimit: '"a";r=3;t=1, "b";r=0;t=40' },
    body: { error_id: 'x1', correlation_id: 'c', link: 'l', message: 'm' },
    expected: { format: 'structured', retryAfterMs: 40_000 },
  },
];

/** The formats `decodeError` knows without `faultline/decoders`. */
const CORE = new Set(['problem', 'text', 'structured']);

describe('ecosystem error conventions decode to one DecodedError', () => {
  for (const v of VECTORS) {
    it(v.name, () => {
      const decoded = decodeAnyError({ status: v.status, headers: v.headers, body: v.body, now: NOW });
      expect(decoded).toMatchObject(v.expected);
      // The same bytes as raw text decode the same way (what the client hands over).
      const text = typeof v.body === 'string' ? v.body : JSON.stringify(v.body);
      const fromText = decodeAnyError({ status: v.status, headers: v.headers, body: text, now: NOW });
      expect(fromText).toEqual(decoded);
      expect(fromText?.fields).toEqual(decoded?.fields);
      // The core gives the same for its own shapes, and never takes an ecosystem body for one of them by mistake.
      const core = decodeError({ status: v.status, headers: v.headers, body: text, now: NOW });
      if (CORE.has(v.expected.format!)) expect(core).toEqual(decoded);
      else expect(core?.format ?? 'none').toMatch(/^(nested|flat|text|none)$/);
    });
  }

  it('Stripe stays Stripe, and seed 004 stays nested, beside the OpenAI decoder', () => {
    const stripe = {
      error: { type: 'invalid_request_error', message: 'No such customer.', param: 'id', doc_url: 'u' },
    };
    expect(decodeAnyError({ status: 404, body: stripe })?.format).toBe('stripe');
    const seed = { error: { code: 'not_found', message: 'm', request_id: 'req_1' } };
    expect(decodeAnyError({ status: 404, body: seed })?.format).toBe('nested');
  });

  it('a bare {error:{code,message}} without Azure marks is nested', () => {
    expect(decodeAnyError({ status: 400, body: { error: { code: 'bad', message: 'm' } } })?.format).toBe(
      'nested',
    );
  });
});
