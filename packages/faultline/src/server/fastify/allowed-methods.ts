import type { FastifyInstance } from 'fastify';

/**
 * Methods that have a route for this URL, for telling a 405 from a 404. Only runs on the
 * not-found path, so probing the router once per supported method costs nothing on a hit.
 * @example allowedMethods(app, 'POST', '/users/7') // ['GET', 'HEAD', 'DELETE']
 */
export function allowedMethods(fastify: FastifyInstance, method: string, url: string): string[] {
  const allow: string[] = [];
  for (const candidate of fastify.supportedMethods) {
    if (candidate === method) continue;
    if (fastify.findRoute({ method: candidate as 'GET', url }) !== null) allow.push(candidate);
  }
  return allow;
}
