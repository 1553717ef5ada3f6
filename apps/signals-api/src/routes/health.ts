import type { FastifyPluginAsync } from 'fastify';
import type { Limiter } from 'faultline/limits';
import { signals } from '../catalog.ts';
import type { Config } from '../config.ts';
import type { Store } from '../db/store.ts';
import type { ProberCheck } from '../media/prober.ts';

/**
 * Options of the health route.
 * @example await app.register(healthRoutes, { store, config, prober } satisfies HealthRouteOptions);
 */
export interface HealthRouteOptions {
  readonly store: Store;
  readonly config: Config;
  /** Rate and concurrency limits; reported, and never a reason to fail: their failure policy decides. */
  readonly limiter?: Limiter;
  /** The media prober's cached self-check; unhealthy while it fails. */
  readonly prober?: ProberCheck;
}

/**
 * `GET /healthz`: 200 while the database answers and the media prober reads a known-good
 * file; ih1002 (503, Retry-After) otherwise, so a load balancer stops sending traffic. The
 * failing check is named in `X-Health-Failing` (`store` or `prober`); the body stays the
 * catalog's ih1002, and the cause (never sent) goes to the log.
 * Maintenance mode is reported, not failed: the instance answers ih1002 on purpose.
 * @example await app.register(healthRoutes, { store, config });
 */
export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (
  app,
  { store, config, limiter, prober },
) => {
  app.get('/healthz', async (_request, reply) => {
    try {
      await store.ping();
    } catch (cause) {
      throw unhealthy('store', cause);
    }
    const probe = await prober?.check();
    if (probe && !probe.ok) throw unhealthy('prober', `media prober self-check failed: ${probe.detail}`);
    reply.header('cache-control', 'no-store');
    // The limits backend answers or not; the instance still serves (fail-open admits, fail-closed
    // answers ih1002 per request), so this is reported rather than turned into a 503.
    const limits = limiter ? await limiter.health() : undefined;
    return {
      status: 'ok',
      store: store.kind,
      ...(probe ? { prober: 'ok' } : {}),
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

function unhealthy(check: 'store' | 'prober', cause: unknown) {
  return signals.error(
    'ih1002',
    {},
    { cause, headers: { 'x-health-failing': check, 'cache-control': 'no-store' } },
  );
}
