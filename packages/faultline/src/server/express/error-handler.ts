import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request } from 'express';
import { CLIENT_REQUEST_HEADER, CORRELATION_HEADER } from '../../http/correlation.ts';
import { createEngine } from '../shared/engine.ts';
import { jsonLineLogger } from '../shared/log.ts';
import type { FaultlineExpressOptions } from './types.ts';

/**
 * Express's error middleware (four arguments), last in the app. Answers every error in the
 * configured format: ApiErrors as they are, body-parser and `fault()` errors through the fault
 * table, anything else as the `internal` entry — whose cause is logged, never sent.
 * @example
 * app.use(correlation());
 * app.post('/items', requireJson(), express.json({ limit: '100kb' }), createItem);
 * app.use(notFound());
 * app.use(errorHandler({ catalog: api, format: structured }));
 */
export function errorHandler(options: FaultlineExpressOptions): ErrorRequestHandler {
  const engine = createEngine<Request>(options);
  const logger = options.logger ?? jsonLineLogger;
  return (error, req, res, next) => {
    // Mid-stream failures cannot get a new status line; Express's default closes the connection.
    if (res.headersSent) return next(error);
    let id = req.correlationId;
    if (!id) {
      id = randomUUID();
      req.correlationId = id;
      res.setHeader(CORRELATION_HEADER, id);
    }
    // Built only when a line is logged: an expected 4xx pays nothing for it.
    const logFields = () => {
      const client = req.headers[CLIENT_REQUEST_HEADER];
      return typeof client === 'string'
        ? { correlation_id: id, client_request_id: client.slice(0, 128) }
        : { correlation_id: id };
    };
    const out = engine.render(engine.resolve(error, req, logger, logFields), id, () => req.path);
    // Straight to Node's response: res.send would also hash the body for an ETag, which an error
    // answer never uses. end() with the whole body lets Node set Content-Length itself.
    res.statusCode = out.status;
    for (const name in out.headers) res.setHeader(name, out.headers[name]!);
    res.end(out.body);
  };
}
