import type { Request } from 'express';
import type { FaultMap as SharedFaultMap } from '../shared/faults.ts';
import type { FaultlineLogger } from '../shared/log.ts';
import type { FaultlineOptions } from '../shared/options.ts';

declare global {
  namespace Express {
    interface Request {
      /** Server-generated id of this request, set by `correlation()`: sent as `X-Correlation-ID`. */
      correlationId: string;
    }
  }
}

/**
 * The fault table of the Express adapter: factories receive Express's `Request`.
 * @example const faults: Partial<FaultMap> = { notFound: ({ request }) => api.error('e4040', { path: request.path }) };
 */
export type FaultMap = SharedFaultMap<Request>;

/**
 * Options of `errorHandler`: the shared adapter options plus a logger, since Express has none.
 * @example app.use(errorHandler({ catalog: api, format: structured, logger: pino() }));
 */
export interface FaultlineExpressOptions extends Omit<FaultlineOptions<Request>, 'faults'> {
  /** Overrides of the framework-fault table. */
  readonly faults?: Partial<FaultMap>;
  /** Where causes of 5xx answers go (pino-compatible); defaults to JSON lines on stderr. */
  readonly logger?: FaultlineLogger;
}
