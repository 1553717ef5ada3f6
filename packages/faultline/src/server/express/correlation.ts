import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { CORRELATION_HEADER } from '../../http/correlation.ts';

/**
 * First middleware of the app: gives the request a server-generated id, readable as
 * `req.correlationId` and `res.locals.correlationId`, and sends it as `X-Correlation-ID`
 * on every response. The client's `X-Client-Request-Id` is logged by `errorHandler`, never echoed.
 * @example app.use(correlation());
 */
export function correlation(): RequestHandler {
  return (req, res, next) => {
    const id = randomUUID();
    req.correlationId = id;
    res.locals['correlationId'] = id;
    res.setHeader(CORRELATION_HEADER, id);
    next();
  };
}
