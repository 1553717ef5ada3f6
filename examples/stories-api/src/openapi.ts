import { nested } from 'faultline';
import { openapi } from 'faultline/docs';
import { stories } from './catalog.ts';

type Json = Record<string, unknown>;

const errors = (...statuses: number[]): Json =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/Error${s}` }]));
const str = { type: 'string' };
const storyView: Json = {
  type: 'object',
  required: ['id', 'status'],
  properties: {
    id: { type: 'string', pattern: '^brief_[0-9a-f]{16}$' },
    status: { enum: ['generating', 'ready', 'failed'] },
    minutes_charged: { type: 'integer' },
    error: str,
    story: { type: 'object' },
  },
};
const ok = (description: string, schema: Json): Json => ({
  description,
  content: { 'application/json': { schema } },
});

const PATHS: Json = {
  '/api/v1/stories': {
    post: {
      operationId: 'createStory',
      tags: ['stories'],
      summary: 'Create a story from a brief (idempotent by brief content)',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['prompt', 'duration_minutes'],
              additionalProperties: false,
              properties: {
                prompt: { type: 'string', maxLength: 4000 },
                duration_minutes: { type: 'integer', minimum: 1, maximum: 10 },
                title: { type: 'string', maxLength: 200 },
                style: { enum: ['narrative', 'documentary', 'explainer'] },
              },
            },
          },
        },
      },
      responses: {
        '200': ok('The story of this brief is ready (cached).', storyView),
        '202': ok('The story is generating.', storyView),
        ...errors(400, 401, 402, 429, 500, 503),
      },
    },
  },
  '/api/v1/stories/{id}': {
    get: {
      operationId: 'getStory',
      tags: ['stories'],
      summary: 'Status of a story: generating, ready or failed',
      parameters: [
        { name: 'id', in: 'path', required: true, schema: str, description: '`brief_` and 16 hex digits.' },
      ],
      responses: { '200': ok('The story.', storyView), ...errors(400, 401, 404, 429, 500) },
    },
  },
  '/api/v1/usage': {
    get: {
      operationId: 'getUsage',
      tags: ['usage'],
      summary: 'Minutes used, held by generating stories, and remaining this month',
      responses: {
        '200': ok('Usage.', {
          type: 'object',
          properties: { minutes_used: { type: 'integer' }, minutes_remaining: { type: ['integer', 'null'] } },
        }),
        ...errors(401, 429),
      },
    },
  },
};

/**
 * The story API as OpenAPI 3.1: faultline's nested error components plus the paths.
 * @example app.get('/openapi.json', async () => storiesOpenApi('http://127.0.0.1:8084'));
 */
export function storiesOpenApi(origin: string): Json {
  const base = openapi(stories, { format: nested, docsBase: `${origin}/docs/errors` });
  return {
    ...base,
    info: {
      title: 'stories-api',
      version: '0.1.0',
      description: 'Example of the story API (seed 004) built on faultline.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: origin }],
    // Every operation's tag, defined here so generators group methods and linters find them.
    tags: [
      { name: 'stories', description: 'Generate a story and read it back.' },
      { name: 'usage', description: 'Minutes used and left on the plan.' },
    ],
    security: [{ bearer: [] }],
    paths: PATHS,
    components: { ...base.components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
