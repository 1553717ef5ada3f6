import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * Generation stages in order; `failed` may replace any of them.
 * @example const final: AgentStatus[] = ['ready', 'failed'];
 */
export type AgentStatus = 'processing' | 'generating' | 'completed' | 'ready' | 'failed';

/**
 * An agent row as the API shows it.
 * @example const agent: Agent | undefined = store.agent('A1b2c3d4e5');
 */
export interface Agent {
  readonly code: string;
  readonly account: string;
  readonly status: AgentStatus;
  readonly errorMessage: string | null;
  readonly createdAt: number;
  readonly cost: number;
}

/**
 * A prompt whose generation fails on purpose (a documented test trigger).
 * @example { "prompt": "test:generation_failed" } // ends in status failed
 */
export const FAILING_PROMPT = 'test:generation_failed';
/**
 * Why such a job fails, as its `error_message`.
 * @example expect(status.error_message).toBe(FAILURE_MESSAGE);
 */
export const FAILURE_MESSAGE = 'Generation failed: no usable face was found in the reference material.';

/**
 * The agents API's state in SQLite: accounts and balances, agents and their jobs, sessions, files.
 * A job's stage is derived from its age and the configured duration, then written back, so a
 * status read after a restart continues where the clock is.
 * @example const store = openStore(':memory:', 30, Date.now);
 */
export function openStore(path: string, jobSeconds: number, now: () => number) {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, balance REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS agents (code TEXT PRIMARY KEY, account TEXT NOT NULL, prompt TEXT NOT NULL,
      status TEXT NOT NULL, error_message TEXT, created_at INTEGER NOT NULL, cost REAL NOT NULL, fail INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS sessions (room_id TEXT PRIMARY KEY, agent TEXT NOT NULL, account TEXT NOT NULL,
      started_at INTEGER NOT NULL, ended_at INTEGER);
    CREATE TABLE IF NOT EXISTS events (agent TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS files (id TEXT PRIMARY KEY, account TEXT NOT NULL, kind TEXT NOT NULL, mime TEXT NOT NULL,
      size INTEGER NOT NULL, sha256 TEXT NOT NULL, created_at INTEGER NOT NULL);
  `);
  const T = jobSeconds * 1000;

  const stageOf = (row: Record<string, unknown>): AgentStatus => {
    const status = row['status'] as AgentStatus;
    if (status === 'ready' || status === 'failed') return status;
    const age = now() - Number(row['created_at']);
    // A failing job gets through processing and dies while generating.
    if (row['fail'] === 1 && age >= (2 * T) / 3) return 'failed';
    if (age < T / 3) return 'processing';
    if (age < (2 * T) / 3) return 'generating';
    if (age < T) return 'completed';
    return 'ready';
  };

  /** Writes the stage reached by now; a job that fails gives its credits back, once. */
  const refresh = (row: Record<string, unknown>): Agent => {
    const status = stageOf(row);
    if (status !== row['status']) {
      if (status === 'failed') {
        db.prepare('UPDATE agents SET status = ?, error_message = ? WHERE code = ?').run(
          status,
          FAILURE_MESSAGE,
          String(row['code']),
        );
        db.prepare('UPDATE accounts SET balance = balance + ? WHERE id = ?').run(
          Number(row['cost']),
          String(row['account']),
        );
        row = { ...row, error_message: FAILURE_MESSAGE };
      } else {
        db.prepare('UPDATE agents SET status = ? WHERE code = ?').run(status, String(row['code']));
      }
    }
    return {
      code: String(row['code']),
      account: String(row['account']),
      status,
      errorMessage: (row['error_message'] as string | null) ?? null,
      createdAt: Number(row['created_at']),
      cost: Number(row['cost']),
    };
  };

  return {
    /** Creates the configured accounts once; a restart keeps their balances. */
    seed(keys: readonly { secret: string; credits: number }[]): void {
      const insert = db.prepare('INSERT OR IGNORE INTO accounts (id, balance) VALUES (?, ?)');
      for (const key of keys) insert.run(accountId(key.secret), key.credits);
    },
    account(secret: string): { id: string; balance: number } | undefined {
      const row = db.prepare('SELECT id, balance FROM accounts WHERE id = ?').get(accountId(secret));
      return row ? { id: String(row['id']), balance: Number(row['balance']) } : undefined;
    },
    balance(account: string): number {
      return Number(db.prepare('SELECT balance FROM accounts WHERE id = ?').get(account)?.['balance'] ?? 0);
    },
    charge(account: string, credits: number): void {
      db.prepare('UPDATE accounts SET balance = balance - ? WHERE id = ?').run(credits, account);
    },
    /** Jobs still holding a worker (not ready, not failed), brought up to date first. */
    busyWorkers(): number {
      const rows = db.prepare("SELECT * FROM agents WHERE status NOT IN ('ready', 'failed')").all();
      return rows.map(refresh).filter((a) => a.status !== 'ready' && a.status !== 'failed').length;
    },
    createAgent(account: string, prompt: string, cost: number): Agent {
      const code = `A${randomBytes(5).toString('hex')}`;
      db.prepare(
        'INSERT INTO agents (code, account, prompt, status, created_at, cost, fail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(code, account, prompt, 'processing', now(), cost, prompt.startsWith(FAILING_PROMPT) ? 1 : 0);
      db.prepare('UPDATE accounts SET balance = balance - ? WHERE id = ?').run(cost, account);
      return this.agent(code)!;
    },
    agent(code: string): Agent | undefined {
      const row = db.prepare('SELECT * FROM agents WHERE code = ?').get(code);
      return row ? refresh(row) : undefined;
    },
    activeSessions(account: string): number {
      return Number(
        db
          .prepare('SELECT count(*) AS n FROM sessions WHERE account = ? AND ended_at IS NULL')
          .get(account)?.['n'],
      );
    },
    room(agent: string): string | undefined {
      const row = db.prepare('SELECT room_id FROM sessions WHERE agent = ? AND ended_at IS NULL').get(agent);
      return row ? String(row['room_id']) : undefined;
    },
    openRoom(agent: string, account: string): string {
      const room = `room_${randomBytes(6).toString('hex')}`;
      db.prepare('INSERT INTO sessions (room_id, agent, account, started_at) VALUES (?, ?, ?, ?)').run(
        room,
        agent,
        account,
        now(),
      );
      return room;
    },
    closeRoom(room: string): void {
      db.prepare('UPDATE sessions SET ended_at = ? WHERE room_id = ?').run(now(), room);
    },
    record(agent: string, kind: 'speak' | 'context', text: string): void {
      db.prepare('INSERT INTO events (agent, kind, text, at) VALUES (?, ?, ?, ?)').run(
        agent,
        kind,
        text,
        now(),
      );
    },
    addFile(account: string, kind: string, mime: string, bytes: Uint8Array): { id: string; sha256: string } {
      const id = `file_${randomBytes(8).toString('hex')}`;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      db.prepare(
        'INSERT INTO files (id, account, kind, mime, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(id, account, kind, mime, bytes.byteLength, sha256, now());
      return { id, sha256 };
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

/** Accounts are keyed by a hash of their secret: the database never holds a usable secret. */
function accountId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
