import { rateLimitHeaders } from '../../../src/http/index.ts';
import { fault } from '../../../src/server/shared/faults.ts';
import { SECRET, SECRET_CAUSE, testCatalog } from '../catalog.ts';

/** The errors the test routes throw, shared by every adapter's app. */
export const widgetErrors = {
  missing: (id: string) => testCatalog.error('widget_missing', { id }),
  slow: () =>
    testCatalog.error(
      'slow_down',
      { reset_time: '2030-01-01T00:00:00Z' },
      {
        headers: rateLimitHeaders({ limit: 10, remaining: 0, resetSeconds: 7, windowSeconds: 60 }, 'ietf', 0),
      },
    ),
  busy: () => testCatalog.error('upstream_busy', {}, { cause: new Error(`pool exhausted: ${SECRET_CAUSE}`) }),
  boom: () => new Error(SECRET, { cause: new Error(SECRET_CAUSE) }),
};

/** JSON Schema of POST /widgets, for adapters with schema validation (Fastify). */
export const widgetSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 }, size: { type: 'integer' } },
} as const;

/**
 * The hand-written equivalent of `widgetSchema`, for adapters without schema validation:
 * raises the `validation` fault naming the failing field.
 */
export function validateWidget(body: unknown): { name: string; size?: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw fault('validation', { field: 'body' });
  const { name, size } = body as Record<string, unknown>;
  if (typeof name !== 'string' || name.length === 0) throw fault('validation', { field: 'name' });
  if (size !== undefined && !Number.isInteger(size)) throw fault('validation', { field: 'size' });
  return size === undefined ? { name } : { name, size: size as number };
}
