import { describe, expect, it } from 'vitest';
import { lintCatalog } from '../../src/catalog/index.ts';
import { ApiError, isApiError } from '../../src/error/index.ts';
import { frameworkCatalog } from '../../src/server/builtin.ts';
import { classify } from '../../src/server/shared/classify.ts';
import { defaultFaults, fault, isFrameworkFault } from '../../src/server/shared/faults.ts';
import { fieldFromValidation } from '../../src/server/shared/validation-field.ts';
import { overridingCatalog } from './catalog.ts';

const withProps = (props: Record<string, unknown>, base: Error = new Error('x')) =>
  Object.assign(base, props);

describe('classify', () => {
  it.each([
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'invalidJson'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'invalidJson'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'unsupportedMediaType'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'bodyTooLarge'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'badRequest'],
    ['FST_ERR_BAD_URL', 400, 'badRequest'],
  ])('maps Fastify %s to %s', (code, statusCode, kind) => {
    expect(classify(withProps({ code, statusCode }))?.kind).toBe(kind);
  });

  it.each([
    ['entity.parse.failed', 400, 'invalidJson'],
    ['entity.too.large', 413, 'bodyTooLarge'],
    ['charset.unsupported', 415, 'unsupportedMediaType'],
    ['encoding.unsupported', 415, 'unsupportedMediaType'],
    ['request.aborted', 400, 'badRequest'],
  ])('maps body-parser %s to %s', (type, status, kind) => {
    expect(classify(withProps({ type, status, statusCode: status }))?.kind).toBe(kind);
  });

  it('maps Fastify validation errors to validation with the field', () => {
    const error = withProps({
      code: 'FST_ERR_VALIDATION',
      statusCode: 400,
      validationContext: 'body',
      validation: [{ instancePath: '/items/0', params: { missingProperty: 'url' } }],
    });
    expect(classify(error)).toEqual({ kind: 'validation', field: 'items[0].url' });
  });

  it('maps other 4xx statuses by status, and never a 5xx', () => {
    expect(classify(withProps({ status: 404 }))?.kind).toBe('notFound');
    expect(classify(withProps({ statusCode: 405 }))?.kind).toBe('methodNotAllowed');
    expect(classify(withProps({ status: 413 }))?.kind).toBe('bodyTooLarge');
    expect(classify(withProps({ status: 415 }))?.kind).toBe('unsupportedMediaType');
    expect(classify(withProps({ status: 401 }))?.kind).toBe('badRequest');
    expect(classify(withProps({ statusCode: 503 }))).toBeUndefined();
    expect(classify(withProps({ statusCode: '400' }))).toBeUndefined();
  });

  it('treats a bare SyntaxError as malformed JSON only when asked', () => {
    const error = new SyntaxError('Unexpected token');
    expect(classify(error)).toBeUndefined();
    expect(classify(error, { bareSyntaxErrorIsJson: true })?.kind).toBe('invalidJson');
    expect(classify(withProps({ statusCode: 400 }, new SyntaxError('x')))?.kind).toBe('invalidJson');
  });

  it('recognises fault() with its details, and nothing else', () => {
    const raised = fault('methodNotAllowed', { allow: ['GET'] });
    expect(isFrameworkFault(raised)).toBe(true);
    expect(raised.stack).not.toMatch(/\n\s+at /);
    expect(classify(raised)).toEqual({ kind: 'methodNotAllowed', field: undefined, allow: ['GET'] });
    for (const other of [new Error('x'), 'string', 42, null, undefined, { kind: 'notFound' }])
      expect(classify(other)).toBeUndefined();
  });
});

describe('fieldFromValidation', () => {
  it.each([
    [[{ instancePath: '', params: { missingProperty: 'name' } }], 'body', 'name'],
    [[{ instancePath: '/size', params: { type: 'integer' } }], 'body', 'size'],
    [[{ instancePath: '/filter', params: { additionalProperty: 'extra' } }], 'body', 'filter.extra'],
    [[{ instancePath: '/a~1b/0/c~0d', params: {} }], 'body', 'a/b[0].c~d'],
    [[{ instancePath: '', params: { type: 'object' } }], 'body', 'body'],
    [[{ instancePath: '/limit', params: {} }], 'querystring', 'limit'],
    [[], 'querystring', 'querystring'],
    ['garbage', undefined, 'body'],
  ])('%j in %s → %s', (validation, context, field) => {
    expect(fieldFromValidation(validation, context)).toBe(field);
  });
});

describe('frameworkCatalog and the default fault table', () => {
  it('lints clean', () => {
    expect(lintCatalog(frameworkCatalog.entries).filter((i) => i.level === 'error')).toEqual([]);
  });

  it('answers with the built-in entries, filling field and Allow', () => {
    const faults = defaultFaults(undefined);
    const invalid = faults.validation({ request: {}, field: 'name' });
    expect(invalid.id).toBe('validation_failed');
    expect(invalid.message).toBe('The field `name` is missing or has an invalid value.');
    const long = faults.validation({ request: {}, field: 'k'.repeat(500) });
    expect(long.message.length).toBeLessThan(200);
    const wrong = faults.methodNotAllowed({ request: { method: 'PUT' }, allow: ['GET', 'HEAD'] });
    expect(wrong.status).toBe(405);
    expect(wrong.message).toBe('This path does not accept PUT requests.');
    expect(wrong.headers).toEqual({ allow: 'GET, HEAD' });
    const internal = faults.internal({ request: {}, error: new Error('secret') });
    expect(internal.status).toBe(500);
    expect(internal.retryAfterSeconds).toBe(1);
    expect(internal.message).not.toContain('secret');
  });

  it('takes an entry from the app catalog when it has the same id', () => {
    const faults = defaultFaults(overridingCatalog);
    const missing = faults.notFound({ request: {} });
    expect(isApiError(missing)).toBe(true);
    expect(missing.message).toBe('Nothing lives at this address.');
    expect(faults.bodyTooLarge({ request: {} })).toBeInstanceOf(ApiError);
    expect(faults.bodyTooLarge({ request: {} }).entry).toBe(frameworkCatalog.get('payload_too_large'));
  });
});
