/**
 * The failing field of a schema validation error, as a readable path: `name`, `items[0].url`,
 * `filter.from`. Reads Ajv's errors as Fastify attaches them (`error.validation`): the
 * `instancePath` (JSON Pointer) plus the property a `required` or `additionalProperties`
 * rule names. Falls back to the validation context (`body`, `querystring`…).
 * @example fieldFromValidation([{ instancePath: '/items/0', params: { missingProperty: 'url' } }]) // 'items[0].url'
 */
export function fieldFromValidation(validation: unknown, context?: unknown): string {
  const fallback = typeof context === 'string' && context ? context : 'body';
  const first = Array.isArray(validation)
    ? (validation[0] as Record<string, unknown> | undefined)
    : undefined;
  if (typeof first !== 'object' || first === null) return fallback;
  const pointer = typeof first['instancePath'] === 'string' ? first['instancePath'] : '';
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const params = first['params'] as Record<string, unknown> | undefined;
  const named = params?.['missingProperty'] ?? params?.['additionalProperty'] ?? params?.['propertyName'];
  if (typeof named === 'string' && named) segments.push(named);
  if (segments.length === 0) return fallback;
  let path = '';
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else path += path ? `.${segment}` : segment;
  }
  return path;
}
