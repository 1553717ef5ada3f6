import { ConfigError } from '../config.ts';

/**
 * The streaming endpoint's timers, from the environment (all optional).
 * @example const { idleSeconds } = loadStreamConfig(process.env); // 300
 */
export interface StreamConfig {
  /** `SIGNALS_SESSION_IDLE_SECONDS` (default 300): no client data this long → ih6003. */
  readonly idleSeconds: number;
  /** `SIGNALS_SESSION_MAX_SECONDS` (default 3600): a session this old → ih6004. */
  readonly maxSeconds: number;
  /** `SIGNALS_DRAIN_SECONDS` (default 300): how long the first SIGTERM lets sessions run on. */
  readonly drainSeconds: number;
  /**
   * `SIGNALS_DRAIN_CLOSE_CODE` (default 1001): the close code after a drain. 1012 (Service
   * Restart) tells clients the service is being restarted, e.g. in a rolling update.
   */
  readonly drainCloseCode: 1001 | 1012;
}

/**
 * Defaults of the seed: 5 minutes idle, 60 minutes per session, a 5-minute drain.
 * @example DEFAULT_STREAM_CONFIG.maxSeconds // 3600
 */
export const DEFAULT_STREAM_CONFIG: StreamConfig = Object.freeze({
  idleSeconds: 300,
  maxSeconds: 3600,
  drainSeconds: 300,
  drainCloseCode: 1001,
});

/**
 * Reads and validates the stream timers; a `ConfigError` names every bad variable.
 * @example loadStreamConfig({ SIGNALS_SESSION_IDLE_SECONDS: '2' }).idleSeconds // 2
 */
export function loadStreamConfig(env: Readonly<Record<string, string | undefined>>): StreamConfig {
  const problems: string[] = [];
  const seconds = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name]?.trim();
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (/^\d+(\.\d+)?$/.test(text) && value >= min && value <= max) return value;
    problems.push(`${name} must be a number of seconds from ${min} to ${max} (got "${text}")`);
    return fallback;
  };
  const idleSeconds = seconds('SIGNALS_SESSION_IDLE_SECONDS', DEFAULT_STREAM_CONFIG.idleSeconds, 0.1, 86_400);
  const maxSeconds = seconds(
    'SIGNALS_SESSION_MAX_SECONDS',
    DEFAULT_STREAM_CONFIG.maxSeconds,
    0.1,
    7 * 86_400,
  );
  const drainSeconds = seconds('SIGNALS_DRAIN_SECONDS', DEFAULT_STREAM_CONFIG.drainSeconds, 0, 86_400);
  const codeText = env['SIGNALS_DRAIN_CLOSE_CODE']?.trim() || '1001';
  if (codeText !== '1001' && codeText !== '1012')
    problems.push(`SIGNALS_DRAIN_CLOSE_CODE must be 1001 (going away) or 1012 (restart) (got "${codeText}")`);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    idleSeconds,
    maxSeconds,
    drainSeconds,
    drainCloseCode: codeText === '1012' ? 1012 : 1001,
  });
}
