/**
 * Fastify servers of the error-path scenario, one per process, chosen by argv[2]. Each answers
 * GET /err with an error: `bare*` hand-written (`reply.code(…).header(…).send(obj)`), `faultline*`
 * thrown from the catalog through faultlineFastify, the peers as their libraries do it. A variant
 * imports only what it uses, as a service would. Logging: a real pino logger writing to
 * /dev/null at BENCH_LOG_LEVEL (default `warn`: error lines written, access lines filtered;
 * `off` = no logger). 127.0.0.1 only; the port goes to the parent over IPC.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { announce } from '../lib/child.ts';
import { settle } from '../lib/settle.ts';
import { DEPRECATION, FAILED, INVALID, PARAM, SUNSET, structuredBody, transitionBody } from './bodies.ts';

const CAUSE = 'connection reset by upstream';

/** A reply serializer for a body that is already a string. */
const passThrough = (payload: unknown): string => payload as string;

/**
 * The floors' answer: the structured body of `e` serialised once, split where the correlation id
 * goes (ids need no escaping), sent as faultline sends a body (a pass-through serializer: Fastify
 * leaves the string and its type alone).
 */
function preSerialised(e: Parameters<typeof structuredBody>[0]) {
  const [head, tail] = JSON.stringify(structuredBody(e, '\u0000')).split('\\u0000');
  return (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(400)
      .header('x-correlation-id', request.id)
      .type('application/json')
      .serializer(passThrough)
      .send(head! + request.id + tail!);
}

const bare: Record<string, (app: FastifyInstance) => void> = {
  bare(app) {
    app.get('/err', (request, reply) =>
      reply.code(400).header('x-correlation-id', request.id).send(structuredBody(INVALID, request.id)),
    );
  },
  'bare-spin'(app) {
    // For bench/tools/wakeups.ts only: bare made slower by a busy loop, a control that owes
    // nothing to faultline.
    const spins = Number(process.env['BENCH_SPIN'] ?? 1500);
    let sink = 0;
    app.get('/err', (request, reply) => {
      let x = 0;
      for (let i = 0; i < spins; i++) x = (x * 31 + i) | 0;
      sink ^= x;
      if (sink === 0.5) reply.header('x-never', '');
      return reply.code(400).header('x-correlation-id', request.id).send(structuredBody(INVALID, request.id));
    });
  },
  'floor-send'(app) {
    // The floor of any answer (the "physical limit"): the body serialised once at
    // start-up, the id spliced in, no throw, nothing built per request but the string.
    app.get('/err', preSerialised(INVALID));
  },
  'floor-throw'(app) {
    // The floor of any answer to a *thrown* error: one prebuilt object thrown (nothing
    // constructed), caught one frame up, the pre-serialised body sent. What remains over
    // `floor-send` is V8's throw (message object, source position, unwinding) and a handler
    // that never returns, so never leaves the interpreter (bench/README.md, issue 9).
    const answer = preSerialised(INVALID);
    const thrown = { statusCode: 400 };
    const handler = (): never => {
      throw thrown;
    };
    app.get('/err', (request, reply) => {
      try {
        return handler();
      } catch {
        return answer(request, reply);
      }
    });
  },
  'bare-param'(app) {
    app.get('/err', (request, reply) => {
      // The message is built per request, as the template is filled per error.
      const message = `The parameter "${PARAM.params.name}" is not valid: ${PARAM.params.reason}.`;
      const body = { error_id: PARAM.id, correlation_id: request.id, link: PARAM.link, message };
      return reply.code(400).header('x-correlation-id', request.id).send(body);
    });
  },
  'bare-5xx'(app) {
    app.get('/err', (request, reply) => {
      const cause = new Error(CAUSE);
      request.log.error({ error_id: FAILED.id, err: cause }, FAILED.message);
      return reply
        .code(500)
        .header('x-correlation-id', request.id)
        .header('retry-after', FAILED.retryAfter)
        .send(structuredBody(FAILED, request.id));
    });
  },
  'bare-transition'(app) {
    app.get('/err', (request, reply) =>
      reply
        .code(400)
        .header('x-correlation-id', request.id)
        .header('deprecation', DEPRECATION)
        .header('sunset', SUNSET)
        .send(transitionBody(INVALID, 400, request.id)),
    );
  },
};

async function faultline(app: FastifyInstance, variant: string): Promise<void> {
  const { faultlineFastify } = await import('faultline/fastify');
  const { bench, formats } = await import('./bench-catalog.ts');
  const format = variant === 'faultline-transition' ? formats.transition : formats.structured;
  await app.register(faultlineFastify, { catalog: bench, format });
  if (variant === 'faultline-send') {
    // The documented answer without a throw: `app.faultline.send` from the handler.
    app.get('/err', (request, reply) => app.faultline.send(request, reply, bench.error('e4001')));
    return;
  }
  if (variant === 'faultline-registered') {
    // For the profiler: the plugin's per-request work (hook, log binding) under a hand-written reply.
    app.get('/err', (request, reply) => reply.code(400).send(structuredBody(INVALID, request.id)));
    return;
  }
  const raise: Record<string, () => never> = {
    faultline: () => {
      throw bench.error('e4001');
    },
    'faultline-param': () => {
      throw bench.error('e4005', PARAM.params);
    },
    'faultline-5xx': () => {
      throw bench.error('e5001', {}, { cause: new Error(CAUSE) });
    },
  };
  app.get('/err', raise[variant] ?? raise['faultline']!);
}

/** Other libraries' error paths, for context (BENCH_PEERS=1); their bodies differ from ours. */
async function peer(app: FastifyInstance, variant: string): Promise<void> {
  if (variant === 'fastify-default') {
    app.get('/err', () => {
      throw Object.assign(new Error(INVALID.message), { statusCode: 400 });
    });
  } else if (variant === 'sensible-reply' || variant === 'sensible-throw') {
    await app.register((await import('@fastify/sensible')).default);
    app.get('/err', (_request, reply) => {
      if (variant === 'sensible-reply') return reply.badRequest(INVALID.message);
      throw app.httpErrors.badRequest(INVALID.message);
    });
  } else if (variant === 'boom') {
    const Boom = (await import('@hapi/boom')).default;
    app.setErrorHandler((error, _request, reply) => {
      if (!Boom.isBoom(error)) return reply.code(500).send({ message: 'internal' });
      return reply.code(error.output.statusCode).headers(error.output.headers).send(error.output.payload);
    });
    app.get('/err', () => {
      throw Boom.badRequest(INVALID.message);
    });
  } else {
    throw new Error(`unknown variant "${variant}"`);
  }
}

const variant = process.argv[2] ?? '';
const level = process.env['BENCH_LOG_LEVEL'] ?? 'warn';
// The id every log line and the answer carry: a random UUID per request, logged as
// `correlation_id` (faultline's README setup), on both sides.
const app = Fastify({
  logger: level === 'off' ? false : { level, file: '/dev/null' },
  genReqId: () => randomUUID(),
  logController: new LogController({ requestIdLogLabel: 'correlation_id' }),
});
if (variant in bare) bare[variant]!(app);
else if (variant.startsWith('faultline')) await faultline(app, variant);
else await peer(app, variant);
await app.listen({ host: '127.0.0.1', port: 0 });
await settle();
announce((app.server.address() as AddressInfo).port);
