import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../config.ts';

/** Options of the upload route plugin. */
export interface UploadRouteOptions {
  readonly config: Config;
  readonly authenticate: (scope: string) => preHandlerAsyncHookHandler;
}

/**
 * PLACEHOLDER until the media work lands: registers nothing. The real
 * `POST /v0/upload/analyze` replaces this file (same export, same options).
 * @example await app.register(uploadRoutes, { config, authenticate });
 */
export const uploadRoutes: FastifyPluginAsync<UploadRouteOptions> = async () => {};
