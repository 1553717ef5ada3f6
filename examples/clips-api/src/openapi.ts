import { openapi } from 'faultline/docs';
import { clips, clipsFormat } from './catalog.ts';

type Json = Record<string, unknown>;

const errors = (...statuses: number[]): Json =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/Error${s}` }]));
const data = (properties: Json): Json => ({
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'object', properties } },
});
const str = { type: 'string' };
const status = { enum: ['CREATED', 'QUEUED', 'ONGOING', 'SUCCEEDED', 'FAILED'] };

const PATHS: Json = {
  '/api/v2/clips': {
    post: {
      operationId: 'createClipsProject',
      tags: ['clips'],
      summary: 'Create a clipping project for a video',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['video_url'],
              properties: {
                video_url: { type: 'string', format: 'uri' },
                name: { type: 'string', maxLength: 200 },
              },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'Created.',
          content: { 'application/json': { schema: data({ id: str, name: str, status }) } },
        },
        ...errors(400, 403, 429, 500),
      },
    },
  },
  '/api/v2/clips/results/{id}': {
    get: {
      operationId: 'getClipsResults',
      tags: ['clips'],
      summary: 'A project: CREATED, QUEUED, ONGOING, SUCCEEDED or FAILED (error_message only when FAILED)',
      parameters: [
        { name: 'id', in: 'path', required: true, schema: str, description: 'Project id (prj…).' },
      ],
      responses: {
        '200': {
          description: 'The project.',
          content: {
            'application/json': {
              schema: data({
                id: str,
                name: str,
                status,
                error_message: str,
                clips: { type: 'array', items: { type: 'object' } },
              }),
            },
          },
        },
        ...errors(400, 403, 429, 500),
      },
    },
  },
};

/**
 * The clips API as OpenAPI 3.1: faultline's components for both error bodies, plus the paths.
 * @example c.json(clipsOpenApi('http://127.0.0.1:8082', Date.now))
 */
export function clipsOpenApi(origin: string, now: () => number): Json {
  const base = openapi(clips, { format: clipsFormat, docsBase: `${origin}/docs/errors`, now });
  return {
    ...base,
    info: {
      title: 'clips-api',
      version: '0.1.0',
      description: 'Example of the clips API (seed 002) built on faultline and Hono.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: origin }],
    // Every operation's tag, defined here so generators group methods and linters find them.
    tags: [{ name: 'clips', description: 'Clipping projects: create one for a video, then read its clips.' }],
    security: [{ bearer: [] }],
    paths: PATHS,
    components: { ...base.components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
