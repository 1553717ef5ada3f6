import type { FastifyPluginAsync } from 'fastify';
import type { Limiter } from 'faultline/limits';
import { signals } from '../catalog.ts';
import type { Config } from '../config.ts';
import type { Store } from '../db/store.ts';

/**
 * Options of the health route.
 * @example await app.register(healthRoutes, { store, config } satisfies HealthRouteOptions);
 */
export interface HealthRouteOptions {
  readonly store: Store;
  readonly config: Config;
  /** Rate and concurrency limits; reported, and never a reason to fail: their failure policy decides. */
  readonly limiter?: Limiter;
}

/**
 * `GET /healthz`: 200 while the database answers, ih1002 (503, Retry-After) when it does not,
 * so a load balancer stops sending traffic. Maintenance mode is reported, not failed: the
 * instance is healthy and answering ih1002 on purpose.
 * @example await app.register(healthRoutes, { store, config });
 */
export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (
  app,
  { store, config, limiter },
) => {
  app.get('/healthz', async (_request, reply) => {
    try {
      await store.ping();
    } catch (cause) {
      throw signals.error('ih1002', {}, { cause });
    }
    reply.header('cache-control', 'no-store');
    // The limits backend answers or not; the instance still serves (fail-open admits, fail-closed
    // answers ih1002 per request), so this is reported rather than turned into a 503.
    const limits = limiter ? await limiter.health() : undefined;
    return {
      status: 'ok',
      store: store.kind,
      maintenance: config.maintenance,
      backends: {
        store: { kind: store.kind, reachable: true },
        ...(limits
          ? { limits: { kind: limits.kind, reachable: limits.ok, on_failure: limits.onStoreFailure } }
          : {}),
      },
    };
  });
};
