import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * Job states; `done` and `error` are final.
 * @example const final: JobStatus[] = ['done', 'error'];
 */
export type JobStatus = 'pending' | 'processing' | 'done' | 'error';

/**
 * A job as the API shows it.
 * @example const job: Job | undefined = store.job(token, 42);
 */
export interface Job {
  readonly id: number;
  readonly url: string;
  readonly status: JobStatus;
  readonly error: string | null;
  readonly result: unknown;
  readonly created_at: string;
}

/**
 * A documented test Reel that is private: its job ends in error "Video is not available".
 * @example { "url": "https://www.instagram.com/reel/TESTPRIVATE/" }
 */
export const PRIVATE_REEL = 'TESTPRIVATE';
/**
 * A documented test Reel of 120 s: its job ends in error, the maximum being 90 s.
 * @example { "url": "https://www.instagram.com/reel/TESTLONG/" }
 */
export const LONG_REEL = 'TESTLONG';

/**
 * The reels API's jobs in SQLite. A job is pending for the first third of `jobSeconds`, then
 * processing, then done or error — and once final, it never changes again.
 * @example const store = openStore(':memory:', { jobSeconds: 15, maxVideoSeconds: 90 }, Date.now);
 */
export function openStore(
  path: string,
  limits: { jobSeconds: number; maxVideoSeconds: number },
  now: () => number,
) {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, url TEXT NOT NULL,
      shortcode TEXT NOT NULL, status TEXT NOT NULL, error TEXT, result TEXT, created_at INTEGER NOT NULL);
  `);
  const T = limits.jobSeconds * 1000;

  const refresh = (row: Record<string, unknown>): Job => {
    let status = row['status'] as JobStatus;
    let error = (row['error'] as string | null) ?? null;
    let result = (row['result'] as string | null) ?? null;
    if (status === 'pending' || status === 'processing') {
      const age = now() - Number(row['created_at']);
      const next: JobStatus = age < T / 3 ? 'pending' : age < T ? 'processing' : 'done';
      if (next === 'done') {
        const outcome = analyse(String(row['shortcode']), limits.maxVideoSeconds);
        status = outcome.error === undefined ? 'done' : 'error';
        error = outcome.error ?? null;
        result = outcome.result === undefined ? null : JSON.stringify(outcome.result);
      } else {
        status = next;
      }
      if (status !== row['status'])
        db.prepare('UPDATE jobs SET status = ?, error = ?, result = ? WHERE id = ?').run(
          status,
          error,
          result,
          Number(row['id']),
        );
    }
    return {
      id: Number(row['id']),
      url: String(row['url']),
      status,
      error,
      result: result === null ? null : JSON.parse(result),
      created_at: new Date(Number(row['created_at'])).toISOString(),
    };
  };

  return {
    create(owner: string, url: string, shortcode: string): Job {
      const info = db
        .prepare(
          "INSERT INTO jobs (owner, url, shortcode, status, created_at) VALUES (?, ?, ?, 'pending', ?)",
        )
        .run(ownerId(owner), url, shortcode, now());
      return this.job(owner, Number(info.lastInsertRowid))!;
    },
    job(owner: string, id: number): Job | undefined {
      const row = db.prepare('SELECT * FROM jobs WHERE id = ? AND owner = ?').get(id, ownerId(owner));
      return row ? refresh(row) : undefined;
    },
    /** Jobs of a token that are not final yet, brought up to date first. */
    running(owner: string): number {
      const rows = db
        .prepare("SELECT * FROM jobs WHERE owner = ? AND status IN ('pending', 'processing')")
        .all(ownerId(owner));
      return rows.map(refresh).filter((job) => job.status === 'pending' || job.status === 'processing')
        .length;
    },
    close(): void {
      db.close();
    },
  };
}

/**
 * Type of the store.
 * @example function routes(store: Store) {}
 */
export type Store = ReturnType<typeof openStore>;

function ownerId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * What "analysing" a Reel yields. The video itself is not fetched: its length and text are
 * derived from the shortcode, except for the documented test Reels.
 */
function analyse(shortcode: string, maxSeconds: number): { error?: string; result?: unknown } {
  if (shortcode === PRIVATE_REEL) return { error: 'Video is not available' };
  const digest = createHash('sha256').update(shortcode).digest();
  const duration = shortcode === LONG_REEL ? 120 : 10 + (digest[0]! % 70);
  if (duration > maxSeconds) return { error: `Video is ${duration} s long; the maximum is ${maxSeconds} s` };
  return {
    result: {
      duration_seconds: duration,
      summary: `A ${duration}-second Reel (${shortcode}).`,
      hashtags: ['reels', `clip${digest[1]! % 10}`],
    },
  };
}
