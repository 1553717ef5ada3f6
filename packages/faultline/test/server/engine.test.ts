import { describe, expect, it } from 'vitest';
import type { WireFormat } from '../../src/formats/index.ts';
import { byStatus, problem, structured } from '../../src/formats/index.ts';
import { createEngine } from '../../src/server/shared/engine.ts';
import type { FaultMap } from '../../src/server/shared/faults.ts';
import { testCatalog } from './catalog.ts';
import type { LogLine } from './harness.ts';
import { captureLogger } from './harness.ts';

const ID = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';

describe('engine', () => {
  it('answers with the content type a composite format chose for this status', () => {
    const format = byStatus({ 404: problem }, structured);
    const engine = createEngine({ catalog: testCatalog, format, coverage: false });
    const out = engine.render(testCatalog.error('widget_missing', { id: '1' }), ID, '/x');
    expect(out.contentType).toBe('application/problem+json');
  });

  it('answers with the internal entry when a fault override throws or returns garbage', () => {
    const logs: LogLine[] = [];
    const faults: Partial<FaultMap> = {
      notFound: () => {
        throw new Error('override bug');
      },
      bodyTooLarge: () => ({ id: 'fake' }) as never,
    };
    const engine = createEngine({ catalog: testCatalog, format: structured, coverage: false, faults });
    const log = captureLogger(logs);
    expect(engine.fault('notFound', { request: {} }, log).id).toBe('internal_error');
    expect(engine.fault('bodyTooLarge', { request: {} }, log).id).toBe('internal_error');
    expect(logs.map((l) => l['fault'])).toEqual(['notFound', 'bodyTooLarge']);
    expect(JSON.stringify(logs)).toContain('override bug');
  });

  it('falls back to the canonical internal answer when the format cannot encode', () => {
    const broken: WireFormat = {
      ...structured,
      name: 'broken',
      encode: () => {
        throw new Error('format bug');
      },
    };
    const engine = createEngine({ catalog: testCatalog, format: broken, coverage: false });
    const out = engine.render(testCatalog.error('widget_missing', { id: '1' }), ID, '/x');
    expect(out.status).toBe(500);
    expect(out.contentType).toBe('application/json');
    expect(JSON.parse(out.body)).toMatchObject({ error_id: 'internal_error', correlation_id: ID });
    expect(out.body).not.toContain('format bug');
  });

  it('logs thrown 4xx ApiErrors at no level above debug, 5xx ones at error with their cause', () => {
    const logs: LogLine[] = [];
    const engine = createEngine({ catalog: testCatalog, format: structured, coverage: false });
    const log = captureLogger(logs);
    engine.resolve(testCatalog.error('widget_missing', { id: '1' }), {}, log, { correlation_id: ID });
    expect(logs).toEqual([]);
    const cause = new Error('socket hang up');
    engine.resolve(testCatalog.error('upstream_busy', {}, { cause }), {}, log, { correlation_id: ID });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 'error', correlation_id: ID, error_id: 'upstream_busy' });
    expect(JSON.stringify(logs[0])).toContain('socket hang up');
  });

  it('passes docsBase, path and the clock to the format', () => {
    const seen: unknown[] = [];
    const spy: WireFormat = {
      ...structured,
      encode: (error, context) => {
        seen.push({ docsBase: context.docsBase, path: context.path, now: context.now?.() });
        return structured.encode(error, context);
      },
    };
    const engine = createEngine({
      catalog: testCatalog,
      format: spy,
      coverage: false,
      docsBase: 'https://elsewhere.test/e',
      now: () => 1234,
    });
    const out = engine.render(testCatalog.error('widget_missing', { id: '1' }), ID, '/w/1');
    expect(seen).toEqual([{ docsBase: 'https://elsewhere.test/e', path: '/w/1', now: 1234 }]);
    expect(JSON.parse(out.body)['link']).toBe('https://elsewhere.test/e#widget_missing-widget-missing');
  });
});
