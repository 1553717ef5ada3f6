import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Everything the service reads from its environment, validated and typed.
 * @example const { host, port } = loadConfig(process.env);
 */
export interface Config {
  /** Interface to listen on (`HOST`, default `127.0.0.1`). */
  readonly host: string;
  /** Port to listen on (`PORT`, default 8080; 0 picks a free port). */
  readonly port: number;
  /** `DATABASE_URL`: `sqlite:<path>` (default `sqlite:./data/signals.db`) or `postgres://…`. */
  readonly databaseUrl: string;
  /** `REDIS_URL`: limits shared across instances; undefined = in-process limits. */
  readonly redisUrl: string | undefined;
  /** `SIGNALS_DOCS_URL`: base of every error `link`; undefined = this server's `/docs/errors`. */
  readonly docsUrl: string | undefined;
  /** `SIGNALS_LEGACY_UNTIL`: until this instant, error bodies also carry the legacy fields. */
  readonly legacyUntil: Date;
  /** `SIGNALS_ANALYZER`: measure the media locally, or forward segments to a model service. */
  readonly analyzer: 'media' | 'http';
  /** `SIGNALS_ANALYZER_URL`: the model service; required when `analyzer` is `http`. */
  readonly analyzerUrl: string | undefined;
  /** `SIGNALS_ANALYZER_TIMEOUT_MS`: how long one analysis may take (default 120 000). */
  readonly analyzerTimeoutMs: number;
  /** `FFPROBE_PATH`: default is the binary shipped by `@ffprobe-installer/ffprobe`. */
  readonly ffprobePath: string;
  /** `FFMPEG_PATH`: default is the binary shipped by `@ffmpeg-installer/ffmpeg`. */
  readonly ffmpegPath: string;
  /** `SIGNALS_JWT_SECRET`: overrides the generated, persisted signing secret. */
  readonly jwtSecret: string | undefined;
  /** `SIGNALS_MAX_UPLOAD_BYTES`: largest accepted upload; default and ceiling 100 MB, the seed's limit (binary megabytes, so a "100 MB" file always fits). */
  readonly maxUploadBytes: number;
  /** `SIGNALS_MAX_IN_FLIGHT_ANALYSES`: analyses run at once before load shedding (ih1002). */
  readonly maxInFlightAnalyses: number;
  /** `SIGNALS_MAX_RECEIVING_UPLOADS`: uploads whose bodies are being received at once (ih1002 past it). */
  readonly maxReceivingUploads: number;
  /** `SIGNALS_HEADERS_TIMEOUT_MS`: a request's headers must arrive within this (default 15 000). */
  readonly headersTimeoutMs: number;
  /** `SIGNALS_BODY_IDLE_TIMEOUT_MS`: longest silence between two pieces of an upload body (default 30 000). */
  readonly bodyIdleTimeoutMs: number;
  /** `SIGNALS_REQUEST_TIMEOUT_MS`: a whole request, headers and body, must arrive within this (default 600 000). */
  readonly requestTimeoutMs: number;
  /** `SIGNALS_LINGER_MS`: after an early answer, how long unread request bytes are still read and dropped (default 5 000). */
  readonly lingerMs: number;
  /** `SIGNALS_LINGER_BYTES`: …and at most how many (default 16 MiB). */
  readonly lingerBytes: number;
  /** `SIGNALS_ANALYSIS_CPU_MS_PER_MINUTE`: CPU one analysis may spend per minute of video (default 3 000; ih5007 past it). */
  readonly analysisCpuMsPerMinute: number;
  /** `SIGNALS_KEY_PEPPER`: server-side key of API key hashes; undefined = generated and kept in the store. */
  readonly keyPepper: string | undefined;
  /** `SIGNALS_MAINTENANCE`: every /v0 route answers ih1002 while set. */
  readonly maintenance: boolean;
  /** `SIGNALS_TMP_DIR`: where uploads are spooled (default the OS temp dir). */
  readonly tmpDir: string;
  /** `SIGNALS_DATA_DIR`: service state on disk (default `./data`). */
  readonly dataDir: string;
  /**
   * `SIGNALS_TRUST_PROXY`: the proxies in front of the service whose `X-Forwarded-For` names the
   * client — a comma-separated list of addresses, CIDR ranges and `loopback`, `linklocal`,
   * `uniquelocal`. Unset: the socket's peer is the client (per-IP limits then see a load
   * balancer as one client).
   */
  readonly trustProxy: readonly string[] | undefined;
  /** `SIGNALS_AUTH_RPM_PER_IP`: `POST /v0/auth` requests per minute from one client IP (default 60). */
  readonly authRpmPerIp: number;
  /**
   * `SIGNALS_AUTH_REFUSAL_DELAY_MS`: how long a `POST /v0/auth` over the per-IP limit waits for
   * its ih3001 (default 250; 0 = at once). A client that ignores `Retry-After` then gets one answer
   * per connection per delay, so a flood of guesses cannot make the server work at its pace.
   */
  readonly authRefusalDelayMs: number;
  /** `SIGNALS_LIMITS_ON_STORE_FAILURE`: when Redis fails, admit unchecked (`open`, default) or refuse with ih1002 (`closed`). */
  readonly limitsOnStoreFailure: 'open' | 'closed';
  /** `SIGNALS_REDIS_PREFIX`: prefix of every limits key in Redis (default `signals:limits:`). */
  readonly redisPrefix: string;
  /** `SIGNALS_LEASE_SECONDS`: a concurrency slot whose holder vanished frees itself after this (default 60). */
  readonly leaseSeconds: number;
  /** `SIGNALS_NOW` (tests only): the service clock starts at this instant and runs on from there. */
  readonly clockStart: Date | undefined;
}

/**
 * A configuration that cannot be used; `problems` lists every bad variable at once.
 * @example try { loadConfig(env); } catch (e) { if (e instanceof ConfigError) console.error(e.problems.join('\n')); }
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * The seed's sunset of the legacy error fields.
 * @example new Date(DEFAULT_LEGACY_UNTIL) // 2026-03-20T00:00:00.000Z
 */
export const DEFAULT_LEGACY_UNTIL = '2026-03-20T00:00:00Z';
/**
 * 100 MB upload limit of the seed.
 * @example if (bytes > MAX_UPLOAD_BYTES) throw signals.error('ih4003');
 */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** Shortest key pepper we accept: 256 bits of text. */
const MIN_PEPPER_LENGTH = 32;
/** Shortest JWT secret we accept: 256 bits of text, what HS256 needs to be worth its name. */
const MIN_JWT_SECRET_LENGTH = 32;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the configuration; throws a `ConfigError` naming every bad variable.
 * Pure apart from resolving the default ffprobe/ffmpeg binaries, so tests pass their own env.
 * @example
 * const config = loadConfig(process.env);
 * console.log(config.port); // 8080
 */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const fail = <T>(message: string, fallback: T): T => {
    problems.push(message);
    return fallback;
  };

  const host = read('HOST') ?? '127.0.0.1';
  const port = integer(read('PORT'), 'PORT', 8080, 0, 65_535, fail);

  const databaseUrl = read('DATABASE_URL') ?? 'sqlite:./data/signals.db';
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl))
    fail(`DATABASE_URL must start with "sqlite:" or "postgres://" (got "${redactUrl(databaseUrl)}")`, 0);

  const redisUrl = read('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
    fail(`REDIS_URL must start with "redis://" or "rediss://" (got "${redactUrl(redisUrl)}")`, 0);

  const docsUrl = read('SIGNALS_DOCS_URL');
  if (docsUrl !== undefined && !isHttpUrl(docsUrl))
    fail(`SIGNALS_DOCS_URL must be an http(s) URL without a #fragment (got "${docsUrl}")`, 0);

  const legacyText = read('SIGNALS_LEGACY_UNTIL') ?? DEFAULT_LEGACY_UNTIL;
  let legacyUntil = new Date(legacyText);
  if (!/^\d{4}-\d{2}-\d{2}/.test(legacyText) || Number.isNaN(legacyUntil.getTime()))
    legacyUntil = fail(
      `SIGNALS_LEGACY_UNTIL must be an ISO 8601 date such as 2026-03-20T00:00:00Z (got "${legacyText}")`,
      new Date(DEFAULT_LEGACY_UNTIL),
    );

  const analyzerText = read('SIGNALS_ANALYZER') ?? 'media';
  const analyzer =
    analyzerText === 'media' || analyzerText === 'http'
      ? analyzerText
      : fail(`SIGNALS_ANALYZER must be "media" or "http" (got "${analyzerText}")`, 'media' as const);
  const analyzerUrl = read('SIGNALS_ANALYZER_URL');
  if (analyzerUrl !== undefined && !isHttpUrl(analyzerUrl))
    fail(`SIGNALS_ANALYZER_URL must be an http(s) URL (got "${redactUrl(analyzerUrl)}")`, 0);
  if (analyzer === 'http' && analyzerUrl === undefined)
    fail('SIGNALS_ANALYZER=http needs SIGNALS_ANALYZER_URL, the address of the model service', 0);
  const analyzerTimeoutMs = integer(
    read('SIGNALS_ANALYZER_TIMEOUT_MS'),
    'SIGNALS_ANALYZER_TIMEOUT_MS',
    120_000,
    1,
    3_600_000,
    fail,
  );
  const maxInFlightAnalyses = integer(
    read('SIGNALS_MAX_IN_FLIGHT_ANALYSES'),
    'SIGNALS_MAX_IN_FLIGHT_ANALYSES',
    Math.max(2, availableParallelism()),
    1,
    10_000,
    fail,
  );

  const maxReceivingUploads = integer(
    read('SIGNALS_MAX_RECEIVING_UPLOADS'),
    'SIGNALS_MAX_RECEIVING_UPLOADS',
    32,
    1,
    100_000,
    fail,
  );
  const ms = (name: string, fallback: number, min: number, max: number) =>
    integer(read(name), name, fallback, min, max, fail);
  const headersTimeoutMs = ms('SIGNALS_HEADERS_TIMEOUT_MS', 15_000, 100, 600_000);
  const bodyIdleTimeoutMs = ms('SIGNALS_BODY_IDLE_TIMEOUT_MS', 30_000, 100, 600_000);
  const requestTimeoutMs = ms('SIGNALS_REQUEST_TIMEOUT_MS', 600_000, 100, 3_600_000);
  const lingerMs = ms('SIGNALS_LINGER_MS', 5_000, 0, 60_000);
  const lingerBytes = ms('SIGNALS_LINGER_BYTES', 16 * 1024 * 1024, 0, 1024 * 1024 * 1024);
  const analysisCpuMsPerMinute = ms('SIGNALS_ANALYSIS_CPU_MS_PER_MINUTE', 3_000, 1, 3_600_000);

  const maxUploadBytes = ms('SIGNALS_MAX_UPLOAD_BYTES', MAX_UPLOAD_BYTES, 1024 * 1024, MAX_UPLOAD_BYTES);

  const keyPepper = read('SIGNALS_KEY_PEPPER');
  if (keyPepper !== undefined && keyPepper.length < MIN_PEPPER_LENGTH)
    fail(`SIGNALS_KEY_PEPPER must be at least ${MIN_PEPPER_LENGTH} characters long`, 0);

  const jwtSecret = read('SIGNALS_JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < MIN_JWT_SECRET_LENGTH)
    fail(`SIGNALS_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters long`, 0);

  const maintenance = flag(read('SIGNALS_MAINTENANCE'), 'SIGNALS_MAINTENANCE', fail);

  const ffprobePath =
    read('FFPROBE_PATH') ?? shippedBinary('@ffprobe-installer/ffprobe', 'FFPROBE_PATH', fail);
  const ffmpegPath = read('FFMPEG_PATH') ?? shippedBinary('@ffmpeg-installer/ffmpeg', 'FFMPEG_PATH', fail);

  const tmpDir = resolve(read('SIGNALS_TMP_DIR') ?? join(tmpdir(), 'signals-api'));
  const dataDir = resolve(read('SIGNALS_DATA_DIR') ?? './data');

  const trustProxy = trustedProxies(read('SIGNALS_TRUST_PROXY'), fail);
  const authRpmPerIp = integer(
    read('SIGNALS_AUTH_RPM_PER_IP'),
    'SIGNALS_AUTH_RPM_PER_IP',
    60,
    1,
    1_000_000,
    fail,
  );
  const authRefusalDelayMs = integer(
    read('SIGNALS_AUTH_REFUSAL_DELAY_MS'),
    'SIGNALS_AUTH_REFUSAL_DELAY_MS',
    250,
    0,
    10_000,
    fail,
  );
  const failureText = read('SIGNALS_LIMITS_ON_STORE_FAILURE') ?? 'open';
  const limitsOnStoreFailure =
    failureText === 'open' || failureText === 'closed'
      ? failureText
      : fail(
          `SIGNALS_LIMITS_ON_STORE_FAILURE must be "open" or "closed" (got "${failureText}")`,
          'open' as const,
        );
  const redisPrefix = read('SIGNALS_REDIS_PREFIX') ?? 'signals:limits:';
  const leaseSeconds = integer(read('SIGNALS_LEASE_SECONDS'), 'SIGNALS_LEASE_SECONDS', 60, 1, 86_400, fail);
  const nowText = read('SIGNALS_NOW');
  let clockStart: Date | undefined;
  if (nowText !== undefined) {
    clockStart = new Date(nowText);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(nowText) || Number.isNaN(clockStart.getTime()))
      clockStart = fail(
        `SIGNALS_NOW must be an ISO 8601 instant such as 2026-05-31T23:00:00Z (got "${nowText}")`,
        undefined,
      );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    host,
    port,
    databaseUrl,
    redisUrl,
    docsUrl,
    legacyUntil,
    analyzer,
    analyzerUrl,
    analyzerTimeoutMs,
    ffprobePath,
    ffmpegPath,
    jwtSecret,
    maxUploadBytes,
    maxInFlightAnalyses,
    maxReceivingUploads,
    headersTimeoutMs,
    bodyIdleTimeoutMs,
    requestTimeoutMs,
    lingerMs,
    lingerBytes,
    analysisCpuMsPerMinute,
    keyPepper,
    maintenance,
    tmpDir,
    dataDir,
    trustProxy,
    authRpmPerIp,
    authRefusalDelayMs,
    limitsOnStoreFailure,
    redisPrefix,
    leaseSeconds,
    clockStart,
  });
}

type Fail = <T>(message: string, fallback: T) => T;

function integer(
  text: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
  fail: Fail,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    return fail(`${name} must be a whole number from ${min} to ${max} (got "${text}")`, fallback);
  return value;
}

function flag(text: string | undefined, name: string, fail: Fail): boolean {
  if (text === undefined) return false;
  const lower = text.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  return fail(`${name} must be 1/true/yes/on or 0/false/no/off (got "${text}")`, false);
}

/** Names proxy-addr (Fastify's `trustProxy`) knows for whole address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `SIGNALS_TRUST_PROXY` as Fastify's `trustProxy`: the addresses of trusted proxies. "Trust
 * everything" and hop counts are refused on purpose: neither checks who sent the header, so any
 * client could name itself in `X-Forwarded-For` and walk past the per-IP limits.
 */
function trustedProxies(text: string | undefined, fail: Fail): readonly string[] | undefined {
  if (text === undefined) return undefined;
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !PROXY_RANGE_NAMES.has(entry) && !isAddressOrRange(entry));
  if (bad.length > 0)
    return fail(
      `SIGNALS_TRUST_PROXY must be a comma-separated list of proxy addresses, CIDR ranges, loopback, linklocal or uniquelocal (not understood: "${bad.join('", "')}")`,
      undefined,
    );
  return Object.freeze(entries);
}

function isAddressOrRange(text: string): boolean {
  const [address = '', bits, extra] = text.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hash === '' && !text.includes('#');
  } catch {
    return false;
  }
}

/** A URL for an error message, without its password. */
function redactUrl(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/** Path of a binary shipped in an npm package (CommonJS, hence `require`). */
function shippedBinary(pkg: string, envName: string, fail: Fail): string {
  try {
    const { path } = createRequire(import.meta.url)(pkg) as { path: string };
    return path;
  } catch {
    return fail(`${envName} is not set and ${pkg} has no binary for this platform; set ${envName}`, '');
  }
}
