import { randomBytes } from 'node:crypto';

/**
 * Settings read from the environment; every limit has the documented default.
 * @example const { port, keys }: Config = readConfig(process.env);
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** SQLite file (`:memory:` for none). */
  readonly database: string;
  /** Secrets and their starting balances, from `API_KEY=secret[:credits],…`. */
  readonly keys: readonly { readonly secret: string; readonly credits: number }[];
  /** Whether the first key was generated here (then it is printed). */
  readonly generatedKey: boolean;
  /** How long a generation takes, start to ready. */
  readonly jobSeconds: number;
  /** Token-bucket capacity per account, refilled evenly over a minute. */
  readonly ratePerMinute: number;
  /** Failed authentications allowed per address and minute. */
  readonly authFailuresPerMinute: number;
  readonly workers: number;
  readonly maxSessions: number;
  readonly trustProxy: boolean;
}

/**
 * Credits of a key given without a balance.
 * @example readConfig({ API_KEY: 'k' }).keys[0].credits === DEFAULT_CREDITS
 */
export const DEFAULT_CREDITS = 100;

/**
 * Reads the environment; throws a readable message for a value that is not a number.
 * @example const config = readConfig(process.env);
 */
export function readConfig(env: NodeJS.ProcessEnv): Config {
  const given = env['API_KEY']?.trim();
  const keys = given
    ? given.split(',').map((item) => {
        const [secret, credits] = item.trim().split(':');
        return {
          secret: secret!,
          credits: credits === undefined ? DEFAULT_CREDITS : number('API_KEY credits', credits),
        };
      })
    : [{ secret: `ak_dev_${randomBytes(16).toString('hex')}`, credits: DEFAULT_CREDITS }];
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: number('PORT', env['PORT'] ?? '8081'),
    database: env['DATABASE_PATH'] ?? 'data/agents.db',
    keys,
    generatedKey: !given,
    jobSeconds: number('JOB_SECONDS', env['JOB_SECONDS'] ?? '30'),
    ratePerMinute: number('RATE_LIMIT_PER_MINUTE', env['RATE_LIMIT_PER_MINUTE'] ?? '60'),
    authFailuresPerMinute: number('AUTH_FAILURES_PER_MINUTE', env['AUTH_FAILURES_PER_MINUTE'] ?? '30'),
    workers: number('WORKERS', env['WORKERS'] ?? '4'),
    maxSessions: number('MAX_SESSIONS', env['MAX_SESSIONS'] ?? '2'),
    trustProxy: env['TRUST_PROXY'] === '1',
  };
}

function number(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new Error(`${name} must be a number, got "${text}"`);
  return value;
}
