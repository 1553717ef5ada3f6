import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { coverageFile, readProduced, recordProduced } from '../../src/testing/index.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'faultline-cov-'));

describe('coverage recorder', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('appends each id once per process and file', () => {
    const file = join(dir(), 'ids.txt');
    for (const id of ['a', 'b', 'a', 'c', 'b']) recordProduced(id, file);
    expect(readFileSync(file, 'utf8')).toBe('a\nb\nc\n');
    const other = join(dir(), 'ids.txt');
    recordProduced('a', other);
    expect(readFileSync(other, 'utf8')).toBe('a\n');
  });

  it('reads ids written by several processes, ignoring blank lines', () => {
    const file = join(dir(), 'ids.txt');
    writeFileSync(file, 'x\n\ny\r\nx\n');
    expect(readProduced(file)).toEqual(new Set(['x', 'y']));
  });

  it('reads a missing file as no ids', () => {
    expect(readProduced(join(dir(), 'absent.txt'))).toEqual(new Set());
  });

  it('never throws when the file cannot be written, and retries later', () => {
    const parent = join(dir(), 'later');
    const file = join(parent, 'ids.txt');
    expect(() => recordProduced('z', file)).not.toThrow();
    mkdirSync(parent);
    recordProduced('z', file);
    expect(readFileSync(file, 'utf8')).toBe('z\n');
  });

  it('resolves the file: option, then FAULTLINE_COVERAGE, false turns it off', () => {
    vi.stubEnv('FAULTLINE_COVERAGE', '/tmp/from-env.txt');
    expect(coverageFile(undefined)).toBe('/tmp/from-env.txt');
    expect(coverageFile('/tmp/explicit.txt')).toBe('/tmp/explicit.txt');
    expect(coverageFile(false)).toBeUndefined();
    vi.stubEnv('FAULTLINE_COVERAGE', '');
    expect(coverageFile(undefined)).toBeUndefined();
  });
});
