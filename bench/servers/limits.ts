/**
 * One server of scenario 4, chosen by argv[2]: the same Fastify route (GET /limited → 200 JSON)
 * behind no limiter, faultline/limits (memory, Redis), rate-limiter-flexible (memory, Redis) or
 * @fastify/rate-limit. Requests take turns among SUBJECTS accounts (an API serves many accounts,
 * not one with a billion requests a minute), each with a limit far above its share of the load,
 * so every request passes: this measures what the check costs, not refusals. Every limited route
 * sends rate-limit headers (faultline and rate-limiter-flexible: IETF RateLimit-Policy and
 * RateLimit; @fastify/rate-limit: its X-RateLimit-*). argv[3] is the Redis key prefix of this run.
 */
import type { AddressInfo } from 'node:net';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  type Admission,
  createLimiter,
  createMemoryStore,
  createRedisStore,
  type LimitStore,
} from 'faultline/limits';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { announce } from '../lib/child.ts';

const variant = process.argv[2] ?? 'none';
const prefix = process.argv[3] ?? 'bench:limits:';
const POINTS = 1_000_000;
const SUBJECTS = 1000;
let turn = 0;
const subject = () => `account-${turn++ % SUBJECTS}`;
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const app: FastifyInstance = Fastify({ logger: false });
let redis: Redis | undefined;
const connectRedis = (enableAutoPipelining: boolean) => {
  // Auto-pipelining batches the commands of one tick (rate-limiter-flexible sends one per
  // request). The faultline store batches a turn's decisions into one call itself, so its client
  // goes without, as signals-api's does: the pipeline would only add a turn of the event loop.
  redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableAutoPipelining });
  return redis;
};

function faultline(store: LimitStore): void {
  const refuse = () => new Error('limited');
  const limiter = createLimiter({
    store,
    errors: { rate: refuse, concurrency: refuse, unavailable: refuse },
  });
  const admitted = (request: FastifyRequest, reply: FastifyReply, admission: Admission): void => {
    // Two known names: two `header` calls, no `Object.keys` walk of the object.
    const headers = admission.headers;
    reply.header('ratelimit-policy', headers['ratelimit-policy']).header('ratelimit', headers['ratelimit']);
    // 'close' fires once per request: `on` skips the once-wrapper and its removal.
    request.raw.on('close', admission.release);
  };
  // The signals-api shape: rate + concurrency decided together, the slot held until the answer.
  // A callback hook with `admitNow`: the memory store answers in the same call (no promise);
  // Redis answers with a promise, as `admit` would.
  app.addHook('onRequest', (request, reply, done) => {
    let admission: Admission | Promise<Admission>;
    try {
      admission = limiter.admitNow({
        subject: subject(),
        rate: { limit: POINTS, windowSeconds: 60, policy: 'rpm' },
        concurrency: { limit: POINTS, policy: 'concurrency' },
      });
    } catch (error) {
      return done(error as Error);
    }
    if (admission instanceof Promise)
      admission.then((a) => {
        admitted(request, reply, a);
        done();
      }, done);
    else {
      admitted(request, reply, admission);
      done();
    }
  });
}

/** The RateLimit-Policy of the rate-limiter-flexible routes, as faultline writes its `rpm` item. */
const RLF_POLICY = `"rpm";q=${POINTS};w=60`;

function flexible(limiter: RateLimiterMemory | RateLimiterRedis): void {
  // The same header work as the faultline routes (rate part): a service must send them.
  app.addHook('onRequest', async (_request, reply) => {
    const res = await limiter.consume(subject());
    reply.headers({
      'ratelimit-policy': RLF_POLICY,
      ratelimit: `"rpm";r=${res.remainingPoints};t=${Math.ceil(res.msBeforeNext / 1000)}`,
    });
  });
}

/**
 * No limiter, only what any limiter answering like faultline's must also do on every request:
 * the two IETF RateLimit headers (a policy that never changes, a state field built per request)
 * and a 'close' listener to give a concurrency slot back. Node and Fastify's handling of two
 * more headers is most of it; a limiter cannot be cheaper than this row.
 */
function headersFloor(): void {
  const noop = () => {};
  const policy = `"rpm";q=${POINTS};w=60, "concurrency";q=${POINTS};qu="concurrent-requests"`;
  app.addHook('onRequest', (request, reply, done) => {
    const remaining = POINTS - 1 - (turn % 7);
    subject();
    reply
      .header('ratelimit-policy', policy)
      .header('ratelimit', `"rpm";r=${remaining};t=60, "concurrency";r=${POINTS - 1}`);
    request.raw.on('close', noop);
    done();
  });
}

switch (variant) {
  case 'none':
    break;
  case 'headers-floor':
    headersFloor();
    break;
  case 'faultline-memory':
    faultline(createMemoryStore());
    break;
  case 'faultline-redis':
    faultline(createRedisStore({ redis: connectRedis(false), prefix }));
    break;
  case 'rlf-memory':
    flexible(new RateLimiterMemory({ points: POINTS, duration: 60 }));
    break;
  case 'rlf-redis':
    flexible(
      new RateLimiterRedis({
        storeClient: connectRedis(true),
        points: POINTS,
        duration: 60,
        keyPrefix: prefix,
      }),
    );
    break;
  case 'fastify-rate-limit':
    await app.register(rateLimit, { max: POINTS, timeWindow: 60_000, keyGenerator: subject });
    break;
  default:
    throw new Error(`unknown variant ${variant}`);
}
app.get('/limited', async () => ({ ok: true }));
app.addHook('onClose', async () => redis?.disconnect());
await app.listen({ host: '127.0.0.1', port: 0 });
announce((app.server.address() as AddressInfo).port);
