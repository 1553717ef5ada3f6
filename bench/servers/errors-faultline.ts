import type { FastifyInstance } from 'fastify';
import { structured } from 'faultline';
import { faultlineFastify } from 'faultline/fastify';
import { signals } from '../../apps/signals-api/src/catalog.ts';

/**
 * Registers faultline the way the signals API does (structured format); coverage recording off,
 * since it is a test-time tool. Kept apart so the other variants never load faultline/fastify.
 * @example await setupFaultline(app, 'https://api.example.test/docs/errors');
 */
export async function setupFaultline(app: FastifyInstance, docsBase: string): Promise<void> {
  await app.register(faultlineFastify, { catalog: signals, format: structured, docsBase, coverage: false });
}
