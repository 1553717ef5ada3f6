import type { WireFormat } from 'faultline';
import { openapi } from 'faultline/docs';
import { INCLUDE_OPTIONS } from './analysis/types.ts';
import { ALL_SCOPES, SCOPES } from './auth/scopes.ts';
import { TOKEN_TTL_SECONDS } from './auth/tokens.ts';
import { documented } from './documented.ts';
import {
  bearer,
  CORRELATION,
  errorResponses,
  type Json,
  type PathGroup,
  PUBLIC,
  success,
} from './openapi-parts.ts';

import { streamPathItem } from './stream/openapi.ts';

export type { PathGroup } from './openapi-parts.ts';

/** What the document depends on: the error format, where the docs live, and the clock. */
export interface ServiceOpenApiOptions {
  readonly format: WireFormat;
  readonly docsBase: string;
  readonly now: () => number;
}

const number = { type: 'number' };
const span = (extra: Json): Json => ({
  type: 'object',
  required: ['start', 'end', 'probability', 'rationale', ...Object.keys(extra)],
  properties: {
    ...extra,
    start: number,
    end: number,
    probability: { type: 'number', minimum: 0, maximum: 1 },
    rationale: { type: 'string' },
  },
});

function authGroup(): PathGroup {
  return {
    tags: [{ name: 'auth', description: 'Exchange an API key for a short-lived bearer token.' }],
    schemas: {
      AuthRequest: {
        type: 'object',
        required: ['key_id', 'key_secret', 'scopes'],
        properties: {
          key_id: { type: 'string' },
          key_secret: { type: 'string' },
          scopes: { type: 'array', minItems: 1, items: { enum: [...ALL_SCOPES] } },
        },
      },
      AuthResponse: {
        type: 'object',
        required: ['access_token', 'token_type', 'expires_in', 'scope'],
        properties: {
          access_token: { type: 'string', description: 'HS256 JWT.' },
          token_type: { const: 'Bearer' },
          expires_in: { const: TOKEN_TTL_SECONDS },
          scope: { type: 'string', description: 'Granted scopes, space separated.' },
        },
      },
    },
    paths: {
      '/v0/auth': {
        post: {
          operationId: 'createToken',
          tags: ['auth'],
          summary: 'Exchange key credentials for an access token',
          description:
            'Checks, in order: JSON body (ih4006), scopes present (ih2003), non-empty (ih2002), known (ih2001), key_id (ih2004), key_secret (ih2005), credentials (ih2006), scopes allowed for the key (ih2007). A body over 16 KiB is refused (413).',
          security: PUBLIC,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/AuthRequest' } } },
          },
          responses: {
            '200': success('A bearer token.', { $ref: '#/components/schemas/AuthResponse' }),
            ...errorResponses(401, 403, 413, 429, 503),
          },
        },
      },
    },
  };
}

function uploadGroup(): PathGroup {
  return {
    tags: [{ name: 'analysis', description: 'Measure what is in a video.' }],
    schemas: {
      Analysis: {
        type: 'object',
        required: ['correlation_id', 'video', 'signals', 'engagement_state', 'analyzer'],
        properties: {
          correlation_id: { type: 'string' },
          video: {
            type: 'object',
            properties: {
              duration_seconds: number,
              container: { type: 'string' },
              video_codec: { type: 'string' },
              audio_codec: { type: ['string', 'null'] },
              width: { type: 'integer' },
              height: { type: 'integer' },
              fps: number,
            },
          },
          signals: { type: 'array', items: span({ type: { type: 'string' } }) },
          engagement_state: { type: 'array', items: span({ state: { type: 'string' } }) },
          conversation_quality: {
            type: 'object',
            description: 'Present when include[] asks for it.',
            properties: {
              overall: { type: 'object' },
              timeline: { type: 'array', items: { type: 'object' } },
            },
          },
          analyzer: { type: 'string', description: 'Which analyzer produced the result (media or http).' },
        },
      },
    },
    paths: {
      '/v0/upload/analyze': {
        post: {
          operationId: 'analyzeUpload',
          tags: ['analysis'],
          summary: 'Analyse a video file',
          description: `Scope ${SCOPES.upload}. MP4, MOV, MKV, WebM, AVI or MPEG-TS; at most 100 MB and 30 minutes.`,
          security: bearer(SCOPES.upload),
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    file: { type: 'string', contentMediaType: 'application/octet-stream' },
                    'include[]': { type: 'array', items: { enum: [...INCLUDE_OPTIONS] } },
                  },
                },
              },
            },
          },
          responses: {
            '200': success('What was measured in the video.', { $ref: '#/components/schemas/Analysis' }),
            ...errorResponses(401, 402, 403, 413, 422, 429, 503),
          },
        },
      },
    },
  };
}

/**
 * The WebSocket route as far as HTTP sees it: the upgrade, its 101 answer, the refusals before
 * it, and the message protocol in the description (`stream/openapi.ts`).
 */
function streamGroup(options: ServiceOpenApiOptions): PathGroup {
  const item = streamPathItem(options.docsBase);
  const get = item['get'] as Json;
  const switching = (get['responses'] as Json)['101'] as Json;
  const headers = { ...(switching['headers'] as Json), ...CORRELATION };
  return {
    tags: [{ name: 'stream', description: 'Analyse a live stream over WebSocket.' }],
    paths: {
      '/v0/stream/analyze': {
        get: {
          ...get,
          operationId: 'analyzeStream',
          tags: ['stream'],
          security: bearer(SCOPES.stream),
          responses: {
            '101': { ...switching, headers },
            ...errorResponses(400, 401, 402, 403, 429, 503),
          },
        },
      },
    },
  };
}

const TEXT = { type: 'string' };

function serviceGroup(): PathGroup {
  const page = (operationId: string, summary: string, mediaType: string, schema: Json): Json => ({
    get: {
      operationId,
      tags: ['docs'],
      summary,
      security: PUBLIC,
      responses: { '200': success(summary, schema, mediaType), ...errorResponses() },
    },
  });
  return {
    tags: [
      { name: 'service', description: 'Health of this instance.' },
      { name: 'docs', description: 'The error catalog and this document, generated from the catalog.' },
    ],
    paths: {
      '/healthz': {
        get: {
          operationId: 'health',
          tags: ['service'],
          summary: 'Liveness and database reachability',
          security: PUBLIC,
          responses: {
            '200': success('Healthy.', {
              type: 'object',
              required: ['status', 'store', 'maintenance'],
              properties: {
                status: { const: 'ok' },
                store: { type: 'string' },
                maintenance: { type: 'boolean' },
              },
            }),
            ...errorResponses(503),
          },
        },
      },
      '/docs/errors': page('errorDocsHtml', 'The error catalog as one HTML page.', 'text/html', TEXT),
      '/docs/errors.md': page('errorDocsMarkdown', 'The error catalog as Markdown.', 'text/markdown', TEXT),
      '/openapi.json': page('openApiDocument', 'This OpenAPI document.', 'application/json', {
        type: 'object',
        required: ['openapi', 'info', 'paths'],
        properties: {
          openapi: { type: 'string', pattern: '^3\\.1\\.' },
          info: { type: 'object' },
          paths: { type: 'object' },
        },
      }),
    },
  };
}

/** Every part of the service the document describes; add a group to document more. */
const PATH_GROUPS: readonly ((options: ServiceOpenApiOptions) => PathGroup)[] = [
  authGroup,
  uploadGroup,
  streamGroup,
  serviceGroup,
];

/**
 * The whole service as OpenAPI 3.1, as it answers at the time of the call: faultline's error
 * components (every catalog entry and, apart, the framework's own answers, in the shape the
 * server sends now — with the deprecated legacy fields before the sunset, without after) plus
 * the paths of every group in `PATH_GROUPS`.
 * @example app.get('/openapi.json', async () => serviceOpenApi({ format, docsBase: 'http://localhost:8080/docs/errors', now: Date.now }));
 */
export function serviceOpenApi(options: ServiceOpenApiOptions, groups = PATH_GROUPS): Json {
  const base = openapi(documented, { format: options.format, docsBase: options.docsBase, now: options.now });
  const parts = groups.map((group) => group(options));
  return {
    openapi: base.openapi,
    info: {
      title: 'signals-api',
      version: '0.1.0',
      description: `Video-signals API. Every error is one of the ${documented.entries.length} catalog entries documented at ${options.docsBase}, or one of the ${documented.builtins.length} answers the framework gives on its own (listed apart there). ${base.info.description}`,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Relative: resolved against wherever this document was fetched from (OpenAPI 3.1 §4.8.5).
    servers: [{ url: '/', description: 'The server that serves this document.' }],
    tags: parts.flatMap((part) => part.tags ?? []),
    paths: Object.assign({}, ...parts.map((part) => part.paths)),
    components: {
      ...base.components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token from POST /v0/auth.',
        },
      },
      schemas: Object.assign({ ...base.components.schemas }, ...parts.map((part) => part.schemas ?? {})),
    },
  };
}
