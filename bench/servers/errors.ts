/**
 * One server of scenario 2, chosen by argv[2]. Each answers GET /err with a 400 whose body says
 * that the query parameter `include[]` is invalid — the same error, produced the way each
 * library would. Listens on 127.0.0.1 only; the port goes to the parent over IPC.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import sensible from '@fastify/sensible';
import Boom from '@hapi/boom';
import Fastify, { type FastifyInstance } from 'fastify';
import { signals } from '../../apps/signals-api/src/catalog.ts';
import { announce } from '../lib/child.ts';

const params = { name: 'include[]', reason: 'unknown value "mood"' };
const message = `The parameter "${params.name}" is not valid: ${params.reason}.`;
const docsBase = 'https://api.example.test/docs/errors';
const link = `${docsBase}#${signals.get('ih4005')!.slug}`;

/** The variants; `faultline` needs faultline/fastify, loaded on demand (it is the only one that imports it). */
const VARIANTS = [
  'bare',
  'faultline',
  'fastify-default',
  'sensible-reply',
  'sensible-throw',
  'boom',
] as const;
type Variant = (typeof VARIANTS)[number];

const setups: Record<Variant, (app: FastifyInstance) => Promise<void>> = {
  // The hand-written baseline: the same structured body, built inline.
  async bare(app) {
    app.get('/err', (_request, reply) =>
      reply.code(400).send({ error_id: 'ih4005', correlation_id: randomUUID(), link, message }),
    );
  },
  async faultline(app) {
    const { setupFaultline } = await import('./errors-faultline.ts');
    await setupFaultline(app, docsBase);
    app.get('/err', () => {
      throw signals.error('ih4005', params);
    });
  },
  // Fastify's default error handler on a thrown Error carrying statusCode.
  async 'fastify-default'(app) {
    app.get('/err', () => {
      throw Object.assign(new Error(message), { statusCode: 400 });
    });
  },
  async 'sensible-reply'(app) {
    await app.register(sensible);
    app.get('/err', (_request, reply) => reply.badRequest(message));
  },
  async 'sensible-throw'(app) {
    await app.register(sensible);
    app.get('/err', () => {
      throw app.httpErrors.badRequest(message);
    });
  },
  async boom(app) {
    app.setErrorHandler((error, _request, reply) => {
      if (!Boom.isBoom(error)) return reply.code(500).send({ message: 'internal' });
      return reply.code(error.output.statusCode).headers(error.output.headers).send(error.output.payload);
    });
    app.get('/err', () => {
      throw Boom.badRequest(message);
    });
  },
};

const variant = process.argv[2] as Variant;
if (!VARIANTS.includes(variant))
  throw new Error(`unknown variant "${variant}"; one of ${VARIANTS.join(', ')}`);
const app = Fastify({ logger: false });
await setups[variant](app);
await app.listen({ host: '127.0.0.1', port: 0 });
announce((app.server.address() as AddressInfo).port);
