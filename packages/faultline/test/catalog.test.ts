import { inspect, types } from 'node:util';
import { describe, expect, it } from 'vitest';
import { normaliseEntry } from '../src/catalog/index.ts';
import { ApiError, defineCatalog, isApiError, lintCatalog, slugFor } from '../src/index.ts';

const demo = defineCatalog({
  name: 'demo',
  entries: {
    d1001: {
      title: 'Missing Key Secret',
      status: 400,
      category: 'Auth',
      message: 'Send a key secret.',
      fix: ['Add it.'],
    },
    d1002: {
      title: 'Invalid Parameter',
      status: 400,
      category: 'Input',
      message: 'Parameter {name} is invalid: {reason}.',
      fix: ['Fix the value.'],
    },
    d1003: {
      title: 'Daily Quota Exceeded',
      status: 429,
      category: 'Limits',
      message: 'Daily quota used up.',
      fix: ['Wait.'],
      retryable: true,
      retryAfterSeconds: 60,
      fields: ['reset_time'],
    },
    d1004: {
      title: 'Internal Server Error',
      status: 500,
      category: 'General',
      message: 'Boom.',
      fix: ['Retry.'],
      retryable: true,
    },
  },
});

describe('defineCatalog', () => {
  it('derives slugs as <id>-<kebab title>', () => {
    expect(demo.get('d1001')?.slug).toBe('d1001-missing-key-secret');
    expect(slugFor('ih2005', 'Missing Key Secret')).toBe('ih2005-missing-key-secret');
    expect(slugFor('x1', "Server's  Going-Away!")).toBe('x1-server-s-going-away');
  });

  it('renders the message template with the given parameters', () => {
    const err = demo.error('d1002', { name: 'include[]', reason: 'unknown value' });
    expect(err.message).toBe('Parameter include[] is invalid: unknown value.');
    expect(err.status).toBe(400);
    expect(err.id).toBe('d1002');
  });

  it('carries extra fields and the retry delay', () => {
    const err = demo.error('d1003', { reset_time: '2026-01-02T00:00:00Z' });
    expect(err.fields).toEqual({ reset_time: '2026-01-02T00:00:00Z' });
    expect(err.retryAfterSeconds).toBe(60);
    expect(demo.error('d1003', { reset_time: 'x' }, { retryAfterSeconds: 5 }).retryAfterSeconds).toBe(5);
  });

  it('rejects unknown ids and missing parameters at compile time', () => {
    // @ts-expect-error unknown id
    expect(() => demo.error('nope')).toThrow(TypeError);
    // @ts-expect-error missing declared parameter `reason`
    demo.error('d1002', { name: 'x' });
    // @ts-expect-error parameters are required for d1002
    demo.error('d1002');
    // @ts-expect-error extra field reset_time is required
    demo.error('d1003', {});
    expect(demo.error('d1001')).toBeInstanceOf(ApiError);
  });
});

describe('ApiError', () => {
  it('skips the stack for expected errors and keeps it for server faults', () => {
    expect(demo.error('d1001').stack?.split('\n').length).toBe(1);
    expect(demo.error('d1004').stack?.split('\n').length).toBeGreaterThan(1);
  });

  it("makes an expected error without Error's constructor that still reads as one", () => {
    const err = demo.error('d1002', { name: 'q', reason: 'bad' }, { cause: new Error('root') });
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(ApiError);
    expect(types.isNativeError(err)).toBe(false);
    expect(err.message).toBe('Parameter q is invalid: bad.');
    expect(err.stack).toBe('ApiError: Parameter q is invalid: bad.');
    expect(String(err)).toBe('ApiError: Parameter q is invalid: bad.');
    expect((err.cause as Error).message).toBe('root');
    expect(Object.keys(err)).toEqual(['id', 'status', 'retryAfterSeconds']);
    expect(inspect(err)).toMatch(/^\[ApiError: Parameter q is invalid: bad\.\] \{\n {2}id: 'd1002'/);
    // Writable as an Error's are; the stack keeps the header of its first read, as V8's does.
    err.message = 'changed';
    expect(err.message).toBe('changed');
    expect(err.stack).toBe('ApiError: Parameter q is invalid: bad.');
    err.stack = 'replaced';
    expect(err.stack).toBe('replaced');
    // A server fault has frames, starting at its caller, and reads as an Error too.
    const fault = demo.error('d1004');
    expect(fault).toBeInstanceOf(Error);
    expect(types.isNativeError(fault)).toBe(false);
    expect(fault.message).toBe('Boom.');
    expect(fault.stack?.split('\n')[0]).toBe('ApiError: Boom.');
    expect(fault.stack?.split('\n')[1]).toMatch(/^ {4}at /);
    expect(fault.stack).not.toMatch(/ErrorBase|new ApiError/);
  });

  it('never serialises its cause', () => {
    const err = demo.error('d1004', undefined, { cause: new Error('db password=hunter2') });
    expect(err.cause).toBeInstanceOf(Error);
    expect(JSON.stringify(err)).not.toContain('hunter2');
    expect(Object.keys(err)).not.toContain('cause');
  });

  it('is recognised across copies of the package by its Symbol.for brand', () => {
    const foreign = { [Symbol.for('faultline.ApiError')]: true, id: 'x' };
    expect(isApiError(foreign)).toBe(true);
    expect(isApiError(demo.error('d1001'))).toBe(true);
    expect(isApiError(new Error('x'))).toBe(false);
    expect(isApiError(null)).toBe(false);
    expect(isApiError('d1001')).toBe(false);
  });
});

describe('lintCatalog', () => {
  it('passes a clean catalog', () => {
    expect(lintCatalog(demo.entries).filter((i) => i.level === 'error')).toEqual([]);
  });

  it('names a duplicate id, a slug collision, a bad status and a missing fix', () => {
    const entries = [
      ...demo.entries,
      normaliseEntry('D1001', { title: 'Other', status: 400, category: 'x', message: 'm', fix: ['f'] }),
      normaliseEntry('d2000', { title: 'X', status: 200, category: 'x', message: 'm', fix: [] }),
      normaliseEntry('d2001', {
        title: 'Y',
        status: 400,
        category: 'x',
        message: 'm',
        fix: ['f'],
        slug: 'd1001-missing-key-secret',
      }),
    ];
    const found = lintCatalog(entries).map((i) => `${i.rule}:${i.id}`);
    expect(found).toContain('duplicate-id:D1001');
    expect(found).toContain('invalid-status:d2000');
    expect(found).toContain('missing-fix:d2000');
    expect(found).toContain('slug-collision:d2001');
    expect(lintCatalog(entries).find((i) => i.rule === 'duplicate-id')?.message).toContain('D1001');
  });
});
