import { randomBytes } from 'node:crypto';

/**
 * One API key and its monthly minutes (`null`: no billing plan configured).
 * @example const key: Key = { key: 'sk_a', minutes: 60 };
 */
export interface Key {
  readonly key: string;
  readonly minutes: number | null;
}

/**
 * Settings read from the environment.
 * @example const { port, keys }: Config = readConfig(process.env);
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly keys: readonly Key[];
  readonly generatedKey: boolean;
  /** How long a story takes to generate. */
  readonly jobSeconds: number;
  readonly postPerMinute: number;
  readonly getPerMinute: number;
}

/**
 * Monthly minutes of a key given without a number.
 * @example readConfig({ API_KEY: 'sk_a' }).keys[0].minutes === DEFAULT_MINUTES
 */
export const DEFAULT_MINUTES = 60;

/**
 * Reads the environment. `API_KEY=key[:minutes|:none],…`.
 * @example readConfig({ API_KEY: 'sk_a:30,sk_b:none' }).keys
 */
export function readConfig(env: NodeJS.ProcessEnv): Config {
  const given = env['API_KEY']?.trim();
  const keys: Key[] = given
    ? given.split(',').map((item) => {
        const [key, minutes] = item.trim().split(':');
        return {
          key: key!,
          minutes:
            minutes === undefined
              ? DEFAULT_MINUTES
              : minutes === 'none'
                ? null
                : number('API_KEY minutes', minutes),
        };
      })
    : [{ key: `sk_dev_${randomBytes(16).toString('hex')}`, minutes: DEFAULT_MINUTES }];
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: number('PORT', env['PORT'] ?? '8084'),
    database: env['DATABASE_PATH'] ?? 'data/stories.db',
    keys,
    generatedKey: !given,
    jobSeconds: number('JOB_SECONDS', env['JOB_SECONDS'] ?? '20'),
    postPerMinute: number('POST_PER_MINUTE', env['POST_PER_MINUTE'] ?? '10'),
    getPerMinute: number('GET_PER_MINUTE', env['GET_PER_MINUTE'] ?? '120'),
  };
}

function number(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new Error(`${name} must be a number, got "${text}"`);
  return value;
}
