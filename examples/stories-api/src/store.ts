import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Brief } from './brief.ts';

/**
 * A story as stored: `content` is the cached JSON of a ready story.
 * @example const story: Story | undefined = store.story('brief_0123456789abcdef');
 */
export interface Story {
  readonly id: string;
  readonly account: string;
  readonly status: 'generating' | 'ready' | 'failed';
  readonly minutes: number;
  readonly content: string | null;
  readonly error: string | null;
  readonly startedAt: number;
}

/**
 * A documented test prompt: the story fails and charges nothing.
 * @example { "prompt": "test:generation_failed", "duration_minutes": 4 }
 */
export const FAILING_PROMPT = 'test:generation_failed';
/**
 * A documented test prompt: the story is ready but its cache entry is unreadable (500).
 * @example { "prompt": "test:corrupt_cache", "duration_minutes": 1 }
 */
export const CORRUPT_PROMPT = 'test:corrupt_cache';
const FAILURE = 'Generation failed: the narration model rejected the brief.';

/**
 * The story API's state in SQLite. A story generates for `jobSeconds`, then is ready (and its
 * minutes charged) or failed (charging nothing). Stages are brought up to date on every read.
 * @example const store = openStore(':memory:', 20, Date.now);
 */
export function openStore(path: string, jobSeconds: number, now: () => number) {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, allowance INTEGER, used INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS stories (id TEXT PRIMARY KEY, account TEXT NOT NULL, brief TEXT NOT NULL,
      status TEXT NOT NULL, minutes INTEGER NOT NULL, content TEXT, error TEXT, started_at INTEGER NOT NULL);
  `);

  const refresh = (row: Record<string, unknown>): Story => {
    let story: Story = {
      id: String(row['id']),
      account: String(row['account']),
      status: row['status'] as Story['status'],
      minutes: Number(row['minutes']),
      content: (row['content'] as string | null) ?? null,
      error: (row['error'] as string | null) ?? null,
      startedAt: Number(row['started_at']),
    };
    if (story.status !== 'generating' || now() - story.startedAt < jobSeconds * 1000) return story;
    const brief = JSON.parse(String(row['brief'])) as Brief;
    if (brief.prompt.startsWith(FAILING_PROMPT)) {
      story = { ...story, status: 'failed', error: FAILURE };
    } else {
      const content = JSON.stringify(write(story.id, brief));
      // The corrupt trigger stores a truncated cache entry, as a crash mid-write would.
      story = {
        ...story,
        status: 'ready',
        content: brief.prompt.startsWith(CORRUPT_PROMPT) ? content.slice(0, 20) : content,
      };
      db.prepare('UPDATE accounts SET used = used + ? WHERE id = ?').run(story.minutes, story.account);
    }
    db.prepare('UPDATE stories SET status = ?, content = ?, error = ? WHERE id = ?').run(
      story.status,
      story.content,
      story.error,
      story.id,
    );
    return story;
  };

  return {
    seed(keys: readonly { key: string; minutes: number | null }[]): void {
      const insert = db.prepare('INSERT OR IGNORE INTO accounts (id, allowance) VALUES (?, ?)');
      for (const k of keys) insert.run(accountId(k.key), k.minutes);
    },
    /** The account of a key: its allowance (null when billing is not configured). */
    account(key: string): { id: string; allowance: number | null } | undefined {
      const row = db.prepare('SELECT id, allowance FROM accounts WHERE id = ?').get(accountId(key));
      return row
        ? { id: String(row['id']), allowance: row['allowance'] === null ? null : Number(row['allowance']) }
        : undefined;
    },
    /** Minutes charged this month, and minutes held by stories still generating. */
    usage(account: string): { used: number; held: number } {
      for (const row of db
        .prepare("SELECT * FROM stories WHERE account = ? AND status = 'generating'")
        .all(account))
        refresh(row);
      const used = Number(db.prepare('SELECT used FROM accounts WHERE id = ?').get(account)?.['used'] ?? 0);
      const held = Number(
        db
          .prepare(
            "SELECT coalesce(sum(minutes), 0) AS n FROM stories WHERE account = ? AND status = 'generating'",
          )
          .get(account)?.['n'],
      );
      return { used, held };
    },
    story(id: string): Story | undefined {
      const row = db.prepare('SELECT * FROM stories WHERE id = ?').get(id);
      return row ? refresh(row) : undefined;
    },
    /** Starts (or, after a failure, restarts) the generation of a brief. */
    start(id: string, account: string, brief: Brief): Story {
      db.prepare(
        `INSERT INTO stories (id, account, brief, status, minutes, started_at) VALUES (?, ?, ?, 'generating', ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = 'generating', error = NULL, content = NULL, started_at = excluded.started_at`,
      ).run(id, account, JSON.stringify(brief), brief.duration_minutes, now());
      return this.story(id)!;
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

function accountId(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The "generated" story: one scene per minute, derived from the brief. */
function write(id: string, brief: Brief) {
  return {
    id,
    title: brief.title ?? brief.prompt.slice(0, 60),
    style: brief.style ?? 'narrative',
    scenes: Array.from({ length: brief.duration_minutes }, (_, i) => ({
      minute: i + 1,
      text: `Scene ${i + 1} of ${brief.duration_minutes}: ${brief.prompt.slice(0, 120)}`,
    })),
  };
}
