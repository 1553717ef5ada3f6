import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_LEGACY_UNTIL, loadConfig, MAX_UPLOAD_BYTES } from '../../src/config.ts';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      databaseUrl: 'sqlite:./data/signals.db',
      redisUrl: undefined,
      docsUrl: undefined,
      analyzer: 'media',
      analyzerUrl: undefined,
      jwtSecret: undefined,
      maxUploadBytes: MAX_UPLOAD_BYTES,
      maintenance: false,
    });
    expect(config.legacyUntil.toISOString()).toBe(new Date(DEFAULT_LEGACY_UNTIL).toISOString());
    expect(config.maxUploadBytes).toBe(100 * 1024 * 1024);
    expect(config.ffprobePath).toMatch(/ffprobe$/);
    expect(config.ffmpegPath).toMatch(/ffmpeg$/);
    expect(config.maxInFlightAnalyses).toBeGreaterThanOrEqual(1);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '0',
      DATABASE_URL: 'postgres://u:p@db/signals',
      REDIS_URL: 'redis://cache:6379',
      SIGNALS_DOCS_URL: 'https://docs.example/errors',
      SIGNALS_LEGACY_UNTIL: '2027-01-01',
      SIGNALS_ANALYZER: 'http',
      SIGNALS_ANALYZER_URL: 'http://model:9000',
      SIGNALS_ANALYZER_TIMEOUT_MS: '5000',
      SIGNALS_MAX_IN_FLIGHT_ANALYSES: '3',
      FFPROBE_PATH: '/opt/ffprobe',
      FFMPEG_PATH: '/opt/ffmpeg',
      SIGNALS_JWT_SECRET: 'x'.repeat(32),
      SIGNALS_MAINTENANCE: 'yes',
      SIGNALS_TMP_DIR: '/var/tmp/s',
      SIGNALS_DATA_DIR: '/srv/data',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      databaseUrl: 'postgres://u:p@db/signals',
      redisUrl: 'redis://cache:6379',
      docsUrl: 'https://docs.example/errors',
      analyzer: 'http',
      analyzerUrl: 'http://model:9000',
      analyzerTimeoutMs: 5000,
      maxInFlightAnalyses: 3,
      ffprobePath: '/opt/ffprobe',
      ffmpegPath: '/opt/ffmpeg',
      jwtSecret: 'x'.repeat(32),
      maintenance: true,
      tmpDir: '/var/tmp/s',
      dataDir: '/srv/data',
    });
    expect(config.legacyUntil.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reads the hostile-client limits, with defaults', () => {
    expect(loadConfig({})).toMatchObject({
      maxReceivingUploads: 32,
      headersTimeoutMs: 15_000,
      bodyIdleTimeoutMs: 30_000,
      requestTimeoutMs: 600_000,
      lingerMs: 5_000,
      lingerBytes: 16 * 1024 * 1024,
      analysisCpuMsPerMinute: 3_000,
      keyPepper: undefined,
    });
    const config = loadConfig({
      SIGNALS_MAX_RECEIVING_UPLOADS: '4',
      SIGNALS_MAX_UPLOAD_BYTES: '2097152',
      SIGNALS_HEADERS_TIMEOUT_MS: '1000',
      SIGNALS_BODY_IDLE_TIMEOUT_MS: '2000',
      SIGNALS_REQUEST_TIMEOUT_MS: '3000',
      SIGNALS_LINGER_MS: '0',
      SIGNALS_LINGER_BYTES: '1024',
      SIGNALS_ANALYSIS_CPU_MS_PER_MINUTE: '500',
      SIGNALS_KEY_PEPPER: 'p'.repeat(32),
    });
    expect(config).toMatchObject({
      maxReceivingUploads: 4,
      maxUploadBytes: 2_097_152,
      headersTimeoutMs: 1000,
      bodyIdleTimeoutMs: 2000,
      requestTimeoutMs: 3000,
      lingerMs: 0,
      lingerBytes: 1024,
      analysisCpuMsPerMinute: 500,
      keyPepper: 'p'.repeat(32),
    });
    const problems = problemsOf({
      SIGNALS_KEY_PEPPER: 'short',
      SIGNALS_MAX_UPLOAD_BYTES: String(200 * 1024 * 1024),
      SIGNALS_BODY_IDLE_TIMEOUT_MS: 'soon',
    });
    expect(problems.join('\n')).toMatch(/SIGNALS_KEY_PEPPER.*32/);
    expect(problems.join('\n')).toMatch(/SIGNALS_MAX_UPLOAD_BYTES/);
    expect(problems.join('\n')).toMatch(/SIGNALS_BODY_IDLE_TIMEOUT_MS/);
  });

  it('reads the trusted proxies, and refuses settings that would trust any client', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ SIGNALS_TRUST_PROXY: ' 10.0.0.0/8, loopback,::1,fd00::/8 ' }).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      '::1',
      'fd00::/8',
    ]);
    for (const text of ['true', '1', '*', '10.0.0.0/33', '10.0.0.1/8/8', 'proxy.internal'])
      expect(problemsOf({ SIGNALS_TRUST_PROXY: text }).join('\n')).toMatch(/SIGNALS_TRUST_PROXY/);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: '80a',
      DATABASE_URL: 'mysql://root:hunter2@db/x',
      REDIS_URL: 'http://cache',
      SIGNALS_DOCS_URL: 'ftp://docs',
      SIGNALS_LEGACY_UNTIL: 'next tuesday',
      SIGNALS_ANALYZER: 'magic',
      SIGNALS_JWT_SECRET: 'short',
      SIGNALS_MAINTENANCE: 'maybe',
    });
    const joined = problems.join('\n');
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'REDIS_URL',
      'SIGNALS_DOCS_URL',
      'SIGNALS_LEGACY_UNTIL',
      'SIGNALS_ANALYZER',
      'SIGNALS_JWT_SECRET',
      'SIGNALS_MAINTENANCE',
    ])
      expect(joined).toContain(name);
    expect(problems).toHaveLength(8);
    // A password in a URL is not repeated in an error message.
    expect(joined).not.toContain('hunter2');
  });

  it('requires an analyzer URL for the http analyzer', () => {
    expect(problemsOf({ SIGNALS_ANALYZER: 'http' })).toEqual([
      expect.stringContaining('SIGNALS_ANALYZER_URL'),
    ]);
  });

  it('rejects ports out of range and docs URLs with a fragment', () => {
    expect(problemsOf({ PORT: '65536' })).toEqual([expect.stringContaining('PORT')]);
    expect(problemsOf({ SIGNALS_DOCS_URL: 'https://d.example/errors#x' })).toEqual([
      expect.stringContaining('SIGNALS_DOCS_URL'),
    ]);
  });

  it('reads maintenance flags in the usual spellings and treats blank as unset', () => {
    expect(loadConfig({ SIGNALS_MAINTENANCE: '1' }).maintenance).toBe(true);
    expect(loadConfig({ SIGNALS_MAINTENANCE: 'TRUE' }).maintenance).toBe(true);
    expect(loadConfig({ SIGNALS_MAINTENANCE: 'off' }).maintenance).toBe(false);
    expect(loadConfig({ SIGNALS_MAINTENANCE: '  ' }).maintenance).toBe(false);
    expect(loadConfig({ PORT: '' }).port).toBe(8080);
  });
});
