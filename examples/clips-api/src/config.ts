import { randomBytes } from 'node:crypto';

/**
 * Settings read from the environment.
 * @example const { port, keys }: Config = readConfig(process.env);
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly keys: readonly string[];
  readonly generatedKey: boolean;
  /** How long a project takes from CREATED to SUCCEEDED or FAILED. */
  readonly jobSeconds: number;
  readonly ratePerMinute: number;
  readonly maxRunningProjects: number;
}

/**
 * Reads the environment. `API_KEY=k1,k2` lists the accepted keys.
 * @example readConfig({ API_KEY: 'k1' }).keys // ['k1']
 */
export function readConfig(env: NodeJS.ProcessEnv): Config {
  const given = env['API_KEY']?.trim();
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: number('PORT', env['PORT'] ?? '8082'),
    database: env['DATABASE_PATH'] ?? 'data/clips.db',
    keys: given ? given.split(',').map((k) => k.trim()) : [`wv_${randomBytes(16).toString('hex')}`],
    generatedKey: !given,
    jobSeconds: number('JOB_SECONDS', env['JOB_SECONDS'] ?? '20'),
    ratePerMinute: number('RATE_LIMIT_PER_MINUTE', env['RATE_LIMIT_PER_MINUTE'] ?? '15'),
    maxRunningProjects: number('MAX_RUNNING_PROJECTS', env['MAX_RUNNING_PROJECTS'] ?? '5'),
  };
}

function number(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new Error(`${name} must be a number, got "${text}"`);
  return value;
}
