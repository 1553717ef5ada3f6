import type { RequestHandler } from 'express';
import { fault } from '../shared/faults.ts';

/**
 * Requires a JSON body on requests that carry one. A body of another type raises the
 * `unsupportedMediaType` fault (put this before `express.json()`, which silently skips other
 * types and leaves `req.body` undefined); an empty body declared as JSON raises `invalidJson`
 * (`express.json()` would read it as `{}`). Requests without a body pass.
 * @example app.post('/items', requireJson(), express.json(), createItem);
 */
export function requireJson(): RequestHandler {
  return (req, _res, next) => {
    const length = req.headers['content-length'];
    // Clients send `Content-Length: 0` on a body-less POST; without a type that is no body at all.
    if (length === '0' && req.headers['content-type'] === undefined) return next();
    // `req.is` is null when there is no body, false when the body has another type.
    const type = req.is(['application/json', 'application/*+json']);
    if (type === false) return next(fault('unsupportedMediaType'));
    if (type !== null && length === '0') return next(fault('invalidJson'));
    next();
  };
}
