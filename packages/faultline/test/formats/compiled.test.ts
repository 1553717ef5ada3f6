import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineCatalog, renderTemplate } from '../../src/catalog/index.ts';
import { fillTemplate } from '../../src/error/template.ts';
import type { EntryEncoder, WireFormat } from '../../src/formats/index.ts';
import { structured, transition } from '../../src/formats/index.ts';

// Characters JSON escapes, or where a hand-written escaper usually goes wrong.
const SPECIALS = [
  '\u0000',
  '\u001f',
  '\u007f',
  '"',
  '\\',
  '\n',
  '\u2028',
  '\ud800',
  '\udfff',
  '\udbff\udc00',
  '{',
  '}',
];
const text = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom(...SPECIALS)), {
    maxLength: 6,
  })
  .map((pieces) => pieces.join(''));

const catalog = defineCatalog({
  name: 'compiled',
  entries: {
    plain: { title: 'Plain', status: 400, category: 'c', message: 'Fixed "text"\\.', fix: ['x'] },
    template: {
      title: 'Template',
      status: 422,
      category: 'c',
      message: 'Bad {name}: {reason} ({name}).',
      fix: ['x'],
    },
    fields: {
      title: 'With Fields',
      status: 429,
      category: 'c',
      message: 'Slow down, {who}.',
      fix: ['x'],
      retryable: true,
      retryAfterSeconds: 3,
      fields: ['reset_time', 'message', 'extra', 'details'],
    },
    server: {
      title: 'Server',
      status: 503,
      category: 'c',
      message: 'Down: {why}',
      fix: ['x'],
      retryable: true,
    },
  },
});
const ids = catalog.entries.map((entry) => entry.id);

const errorArb = fc.record({
  id: fc.constantFrom(...ids),
  params: fc.record({
    name: text,
    reason: text,
    who: text,
    why: text,
    reset_time: fc.oneof(fc.integer(), text, fc.jsonValue({ maxDepth: 2 })),
    message: text,
    extra: fc.jsonValue({ maxDepth: 1 }),
    details: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
  }),
  options: fc.record(
    {
      message: text,
      retryAfterSeconds: fc.integer({ min: 0, max: 100 }),
      headers: fc.dictionary(fc.constantFrom('RateLimit-Policy', 'x-extra', 'Retry-After'), fc.string()),
    },
    { requiredKeys: [] },
  ),
});

/** The compiled answer must be the generic one, byte for byte: body, status and every header. */
function agrees(format: WireFormat, docsBase: string | undefined, now: number): fc.IPropertyWithHooks<never> {
  return fc.property(errorArb, text, ({ id, params, options }, correlationId) => {
    const error = catalog.error(id as 'plain', params as never, options);
    const encoder = format.compile?.(error.entry, { docsBase, now: () => now });
    expect(encoder).toBeTypeOf('function');
    const fast = encoder!(error, correlationId)!;
    const slow = format.encode(error, { correlationId, docsBase, now: () => now });
    expect(fast.body).toBe(JSON.stringify(slow.body));
    expect(fast.status).toBe(slow.status);
    expect(fast.headers).toEqual({ ...slow.headers, 'content-type': format.contentType });
  }) as never;
}

describe('compiled encoders', () => {
  it('structured: equal to JSON.stringify of the generic body for arbitrary strings', () => {
    fc.assert(agrees(structured, 'https://docs.test/e"rr\\ors', 0), { numRuns: 300 });
    fc.assert(agrees(structured, undefined, 0), { numRuns: 100 });
  });

  it('transition: equal before and after the sunset, the clock read per request', () => {
    const format = transition({ legacyUntil: 1_000, migrationGuide: 'https://docs.test/migrate' });
    fc.assert(agrees(format, 'https://docs.test/e', 999), { numRuns: 200 });
    fc.assert(agrees(format, 'https://docs.test/e', 1_000), { numRuns: 100 });
    let now = 0;
    const clocked = transition({ legacyUntil: 10, now: () => now });
    const encoder = clocked.compile?.(catalog.get('plain')!, {}) as EntryEncoder;
    const error = catalog.error('plain');
    expect(JSON.parse(encoder(error, 'id')!.body)).toHaveProperty('detail');
    now = 10;
    expect(JSON.parse(encoder(error, 'id')!.body)).not.toHaveProperty('detail');
  });

  it('is not used by a format spread from a built-in one with its own encode', () => {
    const custom: WireFormat = {
      ...structured,
      encode: (error) => ({ status: 418, headers: {}, body: { id: error.id } }),
    };
    expect(custom.compile?.(catalog.get('plain')!, {})).toBeUndefined();
    const renamed: WireFormat = { ...structured, name: 'renamed' };
    expect(renamed.compile?.(catalog.get('plain')!, {})).toBeTypeOf('function');
  });

  it('refuses entries whose integer-like field names would reorder the generic body', () => {
    const odd = defineCatalog({
      name: 'odd',
      entries: { e: { title: 'E', status: 400, category: 'c', message: 'm', fix: ['x'], fields: ['0'] } },
    });
    expect(structured.compile?.(odd.get('e')!, {})).toBeUndefined();
  });
});

describe('fillTemplate', () => {
  it('renders exactly as renderTemplate for arbitrary templates and parameters', () => {
    const name = fc.constantFrom('a', 'b', 'toString', '_x1', '9bad', 'constructor');
    const template = fc
      .array(
        fc.oneof(
          text,
          name.map((n) => `{${n}}`),
          fc.constantFrom('{', '}', '{}', '{a'),
        ),
        { maxLength: 8 },
      )
      .map((pieces) => pieces.join(''));
    const params = fc.option(fc.dictionary(name, fc.oneof(text, fc.integer(), fc.constant(null))), {
      nil: undefined,
    });
    fc.assert(
      fc.property(template, params, (t, p) => {
        expect(fillTemplate(t, p)).toBe(renderTemplate(t, p));
        expect(fillTemplate(t, p)).toBe(fillTemplate(t, p)); // the cached parts give the same again
      }),
      { numRuns: 500 },
    );
  });
});
