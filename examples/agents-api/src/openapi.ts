import { envelope } from 'faultline';
import { openapi } from 'faultline/docs';
import { agents } from './catalog.ts';

type Json = Record<string, unknown>;

const errors = (...statuses: number[]): Json =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/Error${s}` }]));
/** Every authenticated call may meet these. */
const AUTH = [401, 403, 429, 500];
const str = { type: 'string' };
const ok = (description: string, properties: Json): Json => ({
  description,
  content: { 'application/json': { schema: { type: 'object', properties } } },
});
const jsonBody = (required: string[], properties: Json): Json => ({
  required: true,
  content: { 'application/json': { schema: { type: 'object', required, properties } } },
});
const code = {
  name: 'code',
  in: 'path',
  required: true,
  schema: str,
  description: 'Agent code from generate.',
};

const PATHS: Json = {
  '/v1/account': {
    get: {
      operationId: 'getAccount',
      tags: ['account'],
      summary: 'Balance of the calling account',
      responses: { '200': ok('The balance.', { balance: { type: 'number' } }), ...errors(...AUTH) },
    },
  },
  '/v1/agent/generate': {
    post: {
      operationId: 'generateAgent',
      tags: ['agents'],
      summary: 'Start generating an agent (asynchronous)',
      requestBody: jsonBody(['prompt'], { prompt: { type: 'string', maxLength: 10000 } }),
      responses: {
        '200': ok('Generation started.', { agent_id: str, status: str }),
        ...errors(400, 402, 503, ...AUTH),
      },
    },
  },
  '/v1/agent/status/{id}': {
    get: {
      operationId: 'agentStatus',
      tags: ['agents'],
      summary: 'Status of a generation: processing, generating, completed, ready or failed',
      parameters: [{ name: 'id', in: 'path', required: true, schema: str, description: 'Agent code.' }],
      responses: {
        '200': ok('Current stage; error_message only when failed.', {
          agent_id: str,
          status: { enum: ['processing', 'generating', 'completed', 'ready', 'failed'] },
          error_message: str,
        }),
        ...errors(404, ...AUTH),
      },
    },
  },
  '/v1/agent/{code}/session': {
    post: {
      operationId: 'startSession',
      tags: ['sessions'],
      summary: 'Open a room for a ready agent',
      parameters: [code],
      responses: { '200': ok('The room.', { room_id: str }), ...errors(400, 404, ...AUTH) },
    },
    delete: {
      operationId: 'endSession',
      tags: ['sessions'],
      summary: 'Close the agent’s room',
      parameters: [code],
      responses: { '200': ok('Closed.', { room_id: str }), ...errors(404, ...AUTH) },
    },
  },
  '/v1/agent/{code}/speak': {
    post: {
      operationId: 'speak',
      tags: ['sessions'],
      summary: 'Make the agent say something in its live room',
      parameters: [code],
      requestBody: jsonBody(['message'], { message: str }),
      responses: { '200': ok('Spoken.', { room_id: str }), ...errors(400, 404, ...AUTH) },
    },
  },
  '/v1/agent/{code}/add-context': {
    post: {
      operationId: 'addContext',
      tags: ['sessions'],
      summary: 'Give the agent background knowledge in its live room',
      parameters: [code],
      requestBody: jsonBody(['context'], { context: str }),
      responses: { '200': ok('Added.', { room_id: str }), ...errors(400, 404, ...AUTH) },
    },
  },
  '/v1/files/upload': {
    post: {
      operationId: 'uploadFile',
      tags: ['files'],
      summary: 'Upload a file (raw bytes) or have the server download file_url',
      requestBody: {
        required: true,
        content: {
          'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
          'application/json': {
            schema: {
              type: 'object',
              required: ['file_url'],
              properties: { file_url: { type: 'string', format: 'uri' } },
            },
          },
        },
      },
      responses: {
        '200': ok('Stored.', { file_id: str, type: str, size: { type: 'integer' } }),
        ...errors(400, 413, 415, ...AUTH),
      },
    },
  },
};

/**
 * The agents API as OpenAPI 3.1: faultline's envelope error components plus the paths.
 * @example app.get('/openapi.json', async () => agentsOpenApi('http://127.0.0.1:8081'));
 */
export function agentsOpenApi(origin: string): Json {
  const base = openapi(agents, { format: envelope, docsBase: `${origin}/docs/errors` });
  return {
    ...base,
    info: {
      title: 'agents-api',
      version: '0.1.0',
      description: 'Example of the agents API (seed 001) built on faultline.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: origin }],
    // Every operation's tag, defined here so generators group methods and linters find them.
    tags: [
      { name: 'account', description: 'The calling account and its balance.' },
      { name: 'agents', description: 'Generate an agent and follow its progress.' },
      { name: 'sessions', description: 'Live rooms of a ready agent: open, speak, add context, close.' },
      { name: 'files', description: 'Files an agent learns from.' },
    ],
    security: [{ apiSecret: [] }],
    paths: PATHS,
    components: {
      ...base.components,
      securitySchemes: { apiSecret: { type: 'apiKey', in: 'header', name: 'api-secret' } },
    },
  };
}
