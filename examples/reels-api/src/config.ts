import { randomBytes } from 'node:crypto';

/**
 * Settings read from the environment.
 * @example const { port, tokens }: Config = readConfig(process.env);
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** Accepted API tokens (`ist_…`). */
  readonly tokens: readonly string[];
  readonly generatedToken: boolean;
  /** How long a job takes from pending to done or error. */
  readonly jobSeconds: number;
  readonly ratePerMinute: number;
  readonly maxConcurrentJobs: number;
  readonly maxVideoSeconds: number;
}

/**
 * Reads the environment. `API_KEY=ist_a,ist_b` lists the tokens; each must start with `ist_`.
 * @example readConfig({ API_KEY: 'ist_demo' }).tokens // ['ist_demo']
 */
export function readConfig(env: NodeJS.ProcessEnv): Config {
  const given = env['API_KEY']?.trim();
  const tokens = given ? given.split(',').map((t) => t.trim()) : [`ist_${randomBytes(16).toString('hex')}`];
  for (const token of tokens)
    if (!/^ist_\S+$/.test(token)) throw new Error(`API_KEY tokens look like ist_…, got "${token}"`);
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: number('PORT', env['PORT'] ?? '8083'),
    database: env['DATABASE_PATH'] ?? 'data/reels.db',
    tokens,
    generatedToken: !given,
    jobSeconds: number('JOB_SECONDS', env['JOB_SECONDS'] ?? '15'),
    ratePerMinute: number('RATE_LIMIT_PER_MINUTE', env['RATE_LIMIT_PER_MINUTE'] ?? '10'),
    maxConcurrentJobs: number('MAX_CONCURRENT_JOBS', env['MAX_CONCURRENT_JOBS'] ?? '3'),
    maxVideoSeconds: number('MAX_VIDEO_SECONDS', env['MAX_VIDEO_SECONDS'] ?? '90'),
  };
}

function number(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new Error(`${name} must be a number, got "${text}"`);
  return value;
}
