import { type Catalog, defineCatalog } from '../catalog/define.ts';

/**
 * The entries a server adapter answers with when the framework itself rejects a request:
 * unknown route, wrong method, unreadable body, failed schema, or a bug. An app whose own
 * catalog defines an entry with the same id has that entry used instead (its wording, its
 * docs page); an app that maps nothing still answers cleanly, in its configured format.
 * @example
 * import { frameworkCatalog } from 'faultline/fastify';
 * frameworkCatalog.get('invalid_json')?.status // 400
 */
export const frameworkCatalog = defineCatalog({
  name: 'faultline framework errors',
  entries: {
    not_found: {
      title: 'Route Not Found',
      status: 404,
      category: 'Routing',
      message: 'No endpoint matches this path.',
      description: 'The server has no route for the requested path, with any method.',
      fix: [
        'Compare the path with the API reference: paths are case-sensitive and include the version prefix.',
        'Check that path parameters are filled in and URL-encoded.',
      ],
    },
    method_not_allowed: {
      title: 'Method Not Allowed',
      status: 405,
      category: 'Routing',
      message: 'This path does not accept {method} requests.',
      description:
        'The path exists, but not for this HTTP method. The `Allow` header lists the ones it takes.',
      fix: ['Send the request with one of the methods listed in the `Allow` response header.'],
    },
    unsupported_media_type: {
      title: 'Unsupported Content Type',
      status: 415,
      category: 'Request body',
      message: 'The request body has a content type this endpoint does not read.',
      description:
        'The `Content-Type` header names a media type, charset or encoding the endpoint cannot parse.',
      fix: [
        'Send JSON bodies with `Content-Type: application/json`.',
        'Leave out `Content-Encoding` unless the endpoint documents support for it.',
      ],
    },
    payload_too_large: {
      title: 'Request Body Too Large',
      status: 413,
      category: 'Request body',
      message: 'The request body is larger than this endpoint accepts.',
      description: 'The server stopped reading the body once it passed the size limit of the endpoint.',
      fix: ['Send a smaller body: split large batches into several requests, or upload media separately.'],
    },
    invalid_json: {
      title: 'Malformed JSON Body',
      status: 400,
      category: 'Request body',
      message: 'The request body is not valid JSON.',
      description: 'The body was declared as JSON but could not be parsed, or was empty.',
      fix: [
        'Serialise the body with a JSON library instead of building the string by hand.',
        'Check for trailing commas, single quotes and unbalanced brackets.',
      ],
    },
    validation_failed: {
      title: 'Invalid Field',
      status: 400,
      category: 'Request body',
      message: 'The field `{field}` is missing or has an invalid value.',
      description: 'The request was readable but does not match the schema of the endpoint.',
      fix: [
        'Check the named field against the endpoint schema: whether it is required, its type and its format.',
      ],
    },
    bad_request: {
      title: 'Unreadable Request',
      status: 400,
      category: 'Request body',
      message: 'The request could not be read.',
      description:
        'The request line, headers or body framing were inconsistent, for example a body shorter than its `Content-Length`.',
      fix: [
        'Retry with a standard HTTP client; check that no proxy rewrites the body without fixing `Content-Length`.',
      ],
    },
    request_timeout: {
      title: 'Request Timeout',
      status: 408,
      category: 'Connection',
      message: 'The request did not arrive in full within the time the server waits for it.',
      description:
        'The server stopped waiting for the rest of the request line, headers or body, and closed the connection.',
      fix: [
        'Send the whole request without pauses; a slow or stalled connection is cut off.',
        'Retry on a new connection.',
      ],
      retryable: true,
    },
    expectation_failed: {
      title: 'Expectation Not Supported',
      status: 417,
      category: 'Connection',
      message: 'The server cannot meet the `Expect` header of this request.',
      description: 'The only expectation HTTP/1.1 defines is `100-continue`; any other value is refused.',
      fix: ['Remove the `Expect` header, or send `Expect: 100-continue`.'],
    },
    headers_too_large: {
      title: 'Request Headers Too Large',
      status: 431,
      category: 'Connection',
      message: 'The request line and headers are larger than the server accepts.',
      description:
        'The server stopped reading once the request head passed its size limit, and closed the connection.',
      fix: [
        'Send fewer or shorter headers: large cookies and long tokens are the usual cause.',
        'Move long values from the URL query or headers into the request body.',
      ],
    },
    internal_error: {
      title: 'Internal Error',
      status: 500,
      category: 'Server',
      message: 'Something went wrong on our side. Quote the correlation id if you contact support.',
      description:
        'An unexpected failure in the server. Details are logged under the correlation id, never sent.',
      fix: [
        'Retry after the delay in `Retry-After`; the request may succeed.',
        'If it keeps failing, contact support with the `X-Correlation-ID` of the response.',
      ],
      retryable: true,
      retryAfterSeconds: 1,
    },
  },
});

/**
 * Ids of `frameworkCatalog`.
 * @example const id: FrameworkErrorId = 'payload_too_large';
 */
export type FrameworkErrorId =
  typeof frameworkCatalog extends Catalog<infer Defs> ? Extract<keyof Defs, string> : never;
