import type { Request, RequestHandler } from 'express';
import { fault } from '../shared/faults.ts';

/**
 * Last route of the app, before `errorHandler`: no route matched. Answers `methodNotAllowed`
 * (with `Allow`) when a top-level route matches the path with another method, else `notFound`,
 * both through the fault table.
 * @example app.use(notFound()); app.use(errorHandler(options));
 */
export function notFound(): RequestHandler {
  return (req, _res, next) => {
    const allow = allowedMethods(req);
    next(allow.length === 0 ? fault('notFound') : fault('methodNotAllowed', { allow }));
  };
}

interface RouteLayer {
  route?: { methods?: Record<string, boolean> };
  match?(path: string): boolean;
}

/**
 * Methods of the app's top-level routes that match this path. Reads the router's stack,
 * which Express does not document: anything unexpected there just means "no 405", a plain 404.
 */
function allowedMethods(req: Request): string[] {
  const allow = new Set<string>();
  try {
    const stack = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
    for (const layer of stack) {
      const methods = layer.route?.methods;
      if (!methods || typeof layer.match !== 'function' || !layer.match(req.path)) continue;
      for (const name of Object.keys(methods)) {
        if (name === '_all') return [];
        allow.add(name.toUpperCase());
      }
    }
  } catch {
    return [];
  }
  if (allow.has('GET')) allow.add('HEAD');
  // A route for this very method matched and passed: its handler chose a 404, not a 405.
  return allow.has(req.method) ? [] : [...allow];
}
