import { flat } from 'faultline';
import { openapi } from 'faultline/docs';
import { reels } from './catalog.ts';

type Json = Record<string, unknown>;

const errors = (...statuses: number[]): Json =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/Error${s}` }]));
const job: Json = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    url: { type: 'string' },
    status: { enum: ['pending', 'processing', 'done', 'error'] },
    error: { type: ['string', 'null'] },
    result: { type: ['object', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
  },
};

const PATHS: Json = {
  '/api/v1/reels/analyze': {
    post: {
      operationId: 'analyzeReel',
      tags: ['reels'],
      summary: 'Queue the analysis of an Instagram Reel',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['url'],
              properties: { url: { type: 'string', format: 'uri' } },
            },
          },
        },
      },
      responses: {
        '202': {
          description: 'Job created.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { id: { type: 'integer' }, status: { const: 'pending' } },
              },
            },
          },
        },
        ...errors(400, 401, 429, 500),
      },
    },
  },
  '/api/v1/reels/{id}': {
    get: {
      operationId: 'getReelJob',
      tags: ['reels'],
      summary: 'A job: pending, processing, done or error (done and error are final)',
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'integer' }, description: 'Job id.' },
      ],
      responses: {
        '200': { description: 'The job.', content: { 'application/json': { schema: job } } },
        ...errors(401, 404, 429, 500),
      },
    },
  },
};

/**
 * The reels API as OpenAPI 3.1: faultline's flat error components plus the paths.
 * @example app.get('/openapi.json', async () => reelsOpenApi('http://127.0.0.1:8083'));
 */
export function reelsOpenApi(origin: string): Json {
  const base = openapi(reels, { format: flat, docsBase: `${origin}/docs/errors` });
  return {
    ...base,
    info: {
      title: 'reels-api',
      version: '0.1.0',
      description: 'Example of the reels analysis API (seed 003) built on faultline.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: origin }],
    // Every operation's tag, defined here so generators group methods and linters find them.
    tags: [{ name: 'reels', description: 'Analysis jobs for Instagram Reels.' }],
    security: [{ bearer: [] }],
    paths: PATHS,
    components: {
      ...base.components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'ist_…' } },
    },
  };
}
