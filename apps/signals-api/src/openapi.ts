import type { WireFormat } from 'faultline';
import { openapi } from 'faultline/docs';
import { INCLUDE_OPTIONS } from './analysis/types.ts';
import { ALL_SCOPES, SCOPES } from './auth/scopes.ts';
import { TOKEN_TTL_SECONDS } from './auth/tokens.ts';
import { documented } from './documented.ts';
import { streamPathItem } from './stream/openapi.ts';

/** What the document depends on: the error format, where the docs live, and the clock. */
export interface ServiceOpenApiOptions {
  readonly format: WireFormat;
  readonly docsBase: string;
  readonly now: () => number;
}

type Json = Record<string, unknown>;

/** `$ref`s to the error responses faultline generates, one per status. */
const errors = (...statuses: number[]): Json =>
  Object.fromEntries(
    statuses.map((status) => [String(status), { $ref: `#/components/responses/Error${status}` }]),
  );

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

/**
 * The whole service as OpenAPI 3.1: faultline's error components (every catalog entry, in the
 * format the server answers in) plus the paths of v0, each pointing at the error responses it
 * can produce.
 * @example app.get('/openapi.json', async () => serviceOpenApi({ format, docsBase: 'http://localhost:8080/docs/errors', now: Date.now }));
 */
export function serviceOpenApi(options: ServiceOpenApiOptions): Json {
  const base = openapi(documented, { format: options.format, docsBase: options.docsBase, now: options.now });
  return {
    ...base,
    info: {
      title: 'signals-api',
      version: '0.1.0',
      description: `Video-signals API. Every error is one of the catalog entries documented at ${options.docsBase}.`,
    },
    paths: { ...PATHS, '/v0/stream/analyze': streamPathItem(options.docsBase) },
    components: {
      ...base.components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { ...base.components.schemas, ...SCHEMAS },
    },
  };
}

const SCHEMAS: Json = {
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
        properties: { overall: { type: 'object' }, timeline: { type: 'array', items: { type: 'object' } } },
      },
      analyzer: { type: 'string', description: 'Which analyzer produced the result (media or http).' },
    },
  },
};

const PATHS: Json = {
  '/v0/auth': {
    post: {
      summary: 'Exchange key credentials for an access token',
      description:
        'Checks, in order: JSON body (ih4006), scopes present (ih2003), non-empty (ih2002), known (ih2001), key_id (ih2004), key_secret (ih2005), credentials (ih2006), scopes allowed for the key (ih2007).',
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/AuthRequest' } } },
      },
      responses: {
        '200': {
          description: 'A bearer token.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/AuthResponse' } } },
        },
        ...errors(400, 401, 403, 413, 500, 503),
      },
    },
  },
  '/v0/upload/analyze': {
    post: {
      summary: 'Analyse a video file',
      description: `Scope ${SCOPES.upload}. MP4, MOV, MKV, WebM, AVI or MPEG-TS; at most 100 MB and 30 minutes.`,
      security: [{ bearer: [SCOPES.upload] }],
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
        '200': {
          description: 'What was measured in the video.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Analysis' } } },
        },
        ...errors(400, 401, 402, 403, 413, 422, 429, 500, 503),
      },
    },
  },
  '/v0/stream/analyze': {}, // streamPathItem() fills it in: its place in the list stays here.
  '/healthz': {
    get: {
      summary: 'Liveness and database reachability',
      responses: {
        '200': {
          description: 'Healthy.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  status: { const: 'ok' },
                  store: { type: 'string' },
                  maintenance: { type: 'boolean' },
                },
              },
            },
          },
        },
        ...errors(503),
      },
    },
  },
};
