import { INCLUDE_OPTIONS } from '../analysis/types.ts';
import { SCOPES } from '../auth/scopes.ts';
import { MAX_DURATION_SECONDS, MIN_SEGMENT_BYTES } from '../media/media-info.ts';
import { MAX_MESSAGE_BYTES } from '../routes/stream.ts';
import { DEFAULT_STREAM_CONFIG } from './config.ts';

type Json = Record<string, unknown>;

const header = (description: string, schema: Json = { type: 'string' }): Json => ({
  in: 'header',
  required: true,
  description,
  schema,
});

/**
 * The OpenAPI path item of `GET /v0/stream/analyze`. OpenAPI cannot describe the frames of a
 * WebSocket, so it documents what it can honestly: the upgrade request, its 101 answer, the
 * HTTP errors that refuse an upgrade before it happens, and — in the description — the
 * message protocol and the close codes, with a pointer to the error docs.
 * @example const paths = { '/v0/stream/analyze': streamPathItem('https://api.example/docs/errors') };
 */
export function streamPathItem(docsBase: string): Json {
  const idle = DEFAULT_STREAM_CONFIG.idleSeconds;
  const max = DEFAULT_STREAM_CONFIG.maxSeconds;
  return {
    get: {
      summary: 'Analyse a live stream over WebSocket',
      description: [
        `Scope \`${SCOPES.stream}\`. A WebSocket upgrade: the token goes in \`Authorization: Bearer <token>\`, or, from a browser, as the subprotocol pair \`["access_token", <token>]\` (the server then selects \`access_token\`). A missing, expired, invalid or under-scoped token, a plain GET, a query parameter or a server that is draining is answered with a normal HTTP error before any upgrade.`,
        '',
        `**Client messages.** Binary: a video segment (MP4, MOV, MKV, WebM, AVI or MPEG-TS; ${MIN_SEGMENT_BYTES / 1024} KiB to ${MAX_MESSAGE_BYTES / 2 ** 20} MiB, at most ${MAX_DURATION_SECONDS / 60} minutes), validated and analysed like an upload. Text: JSON, either \`{"type":"session.config","include":[…]}\` (values: ${INCLUDE_OPTIONS.join(', ')}) or \`{"type":"session.close"}\`.`,
        '',
        '**Server messages** are `{type, timestamp, correlation_id, data}`: `session.ready` (the limits in force), `session.updated`, `segment.processing`, `signal.detected`, `engagement.updated`, `conversation_quality.updated`, `segment.completed`, `shutdown.warning` (ih6006, `data.seconds_remaining`) and `error` (`data: {error_id, message, link, segment?}`).',
        '',
        `**Errors on the session.** Bad segments (ih4002, ih5001–ih5007) and bad text messages (ih4006 not JSON, ih6001 wrong shape) are error messages; the session stays open. A message over ${MAX_MESSAGE_BYTES / 2 ** 20} MiB ends it (ih6002, close 1009), as do ${idle} s without client data (ih6003, close 4003) and ${max} s of session (ih6004, close 4004) — both configurable. On shutdown every session is warned (ih6006), keeps working until the drain ends, has its segments in flight answered, and is closed with ih6005 (1001, or 1012 for a restart). A close that ends a session on an error carries the error id in its reason.`,
        '',
        `Every error, with its message and close code: ${docsBase}#category-realtime-and-session-issues`,
      ].join('\n'),
      security: [{ bearer: [SCOPES.stream] }],
      parameters: [
        { name: 'Upgrade', ...header('Must be `websocket`.', { const: 'websocket' }) },
        { name: 'Connection', ...header('Must include `Upgrade`.') },
        { name: 'Sec-WebSocket-Version', ...header('WebSocket protocol version.', { const: '13' }) },
        { name: 'Sec-WebSocket-Key', ...header('Handshake nonce (RFC 6455).') },
        {
          name: 'Sec-WebSocket-Protocol',
          in: 'header',
          required: false,
          description: 'For clients that cannot set headers: `access_token, <token>`.',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '101': {
          description: 'Switching to the WebSocket protocol; the session starts with `session.ready`.',
          headers: {
            'X-Correlation-ID': {
              description: 'Also the `correlation_id` of every message of the session.',
              schema: { type: 'string', format: 'uuid' },
            },
            'Sec-WebSocket-Protocol': {
              description: '`access_token` when the token came as a subprotocol.',
              schema: { const: 'access_token' },
            },
          },
        },
        ...Object.fromEntries(
          [400, 401, 402, 403, 429, 503].map((status) => [
            String(status),
            { $ref: `#/components/responses/Error${status}` },
          ]),
        ),
      },
    },
  };
}
