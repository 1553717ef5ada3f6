import type { FastifyPluginAsync } from 'fastify';
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
  /** The media prober's cached self-check; unhealthy while it fails. */
  readonly prober?: ProberCheck;
}

/**
 * `GET /healthz`: 200 while the database answers and the media prober reads a known-good
 * file; ih1002 (503, Retry-After) otherwise, so a load balancer stops sending traffic. The
 * failing check is named in the message and in `X-Health-Failing` (`store` or `prober`).
 * Maintenance mode is reported, not failed: the instance answers ih1002 on purpose.
 * @example await app.register(healthRoutes, { store, config });
 */
export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (
  app,
  { store, config, prober },
) => {
  app.get('/healthz', async (_request, reply) => {
    try {
      await store.ping();
    } catch (cause) {
      throw unhealthy('store', 'the database does not answer', cause);
    }
    const probe = await prober?.check();
    if (probe && !probe.ok) throw unhealthy('prober', 'the media prober fails its self-check', probe.detail);
    reply.header('cache-control', 'no-store');
    return {
      status: 'ok',
      store: store.kind,
      ...(probe ? { prober: 'ok' } : {}),
      maintenance: config.maintenance,
    };
  });
};

function unhealthy(check: 'store' | 'prober', what: string, cause: unknown) {
  return signals.error(
    'ih1002',
    {},
    {
      cause,
      headers: { 'x-health-failing': check, 'cache-control': 'no-store' },
      message: `This instance is unhealthy: ${what}. Try again after the Retry-After delay.`,
    },
  );
}
