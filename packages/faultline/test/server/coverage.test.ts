import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineCatalog } from '../../src/catalog/index.ts';
import { structured } from '../../src/formats/index.ts';
import { createErrorResponder } from '../../src/server/fetch/index.ts';
import {
  fileRecorder,
  installCoverage,
  type ProducedHook,
  readProduced,
  setProducedHook,
} from '../../src/testing/index.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'faultline-cov-'));
const entry = { title: 'Gone', status: 404, category: 'Input', message: 'Gone.', fix: ['Look elsewhere.'] };
/** Two catalogs that share an id: producing one's `e1` must not count for the other's. */
const first = defineCatalog({ name: 'first', entries: { e1: entry, e2: entry } });
const second = defineCatalog({ name: 'second', entries: { e1: entry } });
const request = () => new Request('http://x.test/a');

describe('coverage recorder', () => {
  let restore: ProducedHook | undefined;
  afterEach(() => {
    vi.unstubAllEnvs();
    setProducedHook(restore);
  });

  it('appends each (catalog, id) once per process and file, as JSON lines', () => {
    const file = join(dir(), 'ids.jsonl');
    const record = fileRecorder(file);
    for (const [catalog, id] of [
      ['a', '1'],
      ['a', '2'],
      ['a', '1'],
      ['b', '1'],
    ] as const)
      record(id, catalog);
    fileRecorder(file)('2', 'a');
    expect(readFileSync(file, 'utf8')).toBe('["a","1"]\n["a","2"]\n["b","1"]\n');
  });

  it('reads ids by catalog from several processes, skipping blank, cut and foreign lines', () => {
    const file = join(dir(), 'ids.jsonl');
    writeFileSync(file, '["a","x"]\n\n["b","x"]\r\n["a","y"]\nold-style-id\n["a",\n["a","x"]\n');
    expect(readProduced(file)).toEqual(
      new Map([
        ['a', new Set(['x', 'y'])],
        ['b', new Set(['x'])],
      ]),
    );
    expect(readProduced(join(dir(), 'absent.jsonl'))).toEqual(new Map());
  });

  it('never throws when the file cannot be written, and retries later', () => {
    const parent = join(dir(), 'later');
    const file = join(parent, 'ids.jsonl');
    const record = fileRecorder(file);
    expect(() => record('z', 'c')).not.toThrow();
    mkdirSync(parent);
    record('z', 'c');
    expect(readFileSync(file, 'utf8')).toBe('["c","z"]\n');
  });

  it('is installed for the whole process by a test setup: adapters report to it with the catalog name', async () => {
    const file = join(dir(), 'ids.jsonl');
    vi.stubEnv('FAULTLINE_COVERAGE', file);
    restore = setProducedHook(undefined);
    const uninstall = installCoverage();
    const one = createErrorResponder({ catalog: first, format: structured });
    const two = createErrorResponder({ catalog: second, format: structured });
    const off = createErrorResponder({ catalog: first, format: structured, coverage: false });
    expect((await one(first.error('e1'), request())).status).toBe(404);
    await two(second.error('e1'), request());
    await off(first.error('e2'), request());
    uninstall();
    await one(first.error('e2'), request());
    expect(readProduced(file)).toEqual(
      new Map([
        ['first', new Set(['e1'])],
        ['second', new Set(['e1'])],
      ]),
    );
  });

  it('installs nothing without a file, and a failing hook never breaks the response', async () => {
    vi.stubEnv('FAULTLINE_COVERAGE', '');
    restore = setProducedHook(undefined);
    installCoverage()();
    expect(setProducedHook(undefined)).toBeUndefined();
    const seen: string[] = [];
    const respond = createErrorResponder({
      catalog: first,
      format: structured,
      coverage: (id, catalog) => {
        seen.push(`${catalog}/${id}`);
        throw new Error('disk full');
      },
    });
    const response = await respond(first.error('e2'), request());
    expect(response.status).toBe(404);
    expect((await response.json()).error_id).toBe('e2');
    expect(seen).toEqual(['first/e2']);
  });
});
