import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * Project states in order; SUCCEEDED and FAILED are final.
 * @example const final: ProjectStatus[] = ['SUCCEEDED', 'FAILED'];
 */
export type ProjectStatus = 'CREATED' | 'QUEUED' | 'ONGOING' | 'SUCCEEDED' | 'FAILED';

/**
 * A project as stored.
 * @example const project: Project | undefined = store.project(key, 'prj06928fdjqqaza');
 */
export interface Project {
  readonly id: string;
  readonly name: string;
  readonly videoUrl: string;
  readonly status: ProjectStatus;
  readonly errorMessage: string | null;
  readonly createdAt: number;
}

/**
 * A documented test video: its project goes all the way to FAILED.
 * @example { "video_url": "https://videos.example/test-failed.mp4" }
 */
export const FAILING_VIDEO = 'test-failed.mp4';

/**
 * The clips API's projects in SQLite. Each quarter of `jobSeconds` moves a project one state
 * on, CREATED → QUEUED → ONGOING → SUCCEEDED (or FAILED for the test video); stages are
 * written back when read.
 * @example const store = openStore(':memory:', 20, Date.now);
 */
export function openStore(path: string, jobSeconds: number, now: () => number) {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE IF NOT EXISTS projects (id TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, video_url TEXT NOT NULL,
      status TEXT NOT NULL, error_message TEXT, created_at INTEGER NOT NULL);
  `);
  const T = jobSeconds * 1000;

  const refresh = (row: Record<string, unknown>): Project => {
    const stored = row['status'] as ProjectStatus;
    let status = stored;
    let errorMessage = (row['error_message'] as string | null) ?? null;
    if (stored !== 'SUCCEEDED' && stored !== 'FAILED') {
      const age = now() - Number(row['created_at']);
      status = age < T / 4 ? 'CREATED' : age < T / 2 ? 'QUEUED' : age < T ? 'ONGOING' : 'SUCCEEDED';
      if (status === 'SUCCEEDED' && String(row['video_url']).endsWith(`/${FAILING_VIDEO}`)) {
        status = 'FAILED';
        errorMessage = 'The video could not be downloaded from its URL.';
      }
      if (status !== stored)
        db.prepare('UPDATE projects SET status = ?, error_message = ? WHERE id = ?').run(
          status,
          errorMessage,
          String(row['id']),
        );
    }
    return {
      id: String(row['id']),
      name: String(row['name']),
      videoUrl: String(row['video_url']),
      status,
      errorMessage,
      createdAt: Number(row['created_at']),
    };
  };

  return {
    create(owner: string, name: string, videoUrl: string): Project {
      const id = `prj${randomBytes(10)
        .toString('base64url')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 13)
        .padEnd(13, '0')}`;
      db.prepare(
        "INSERT INTO projects (id, owner, name, video_url, status, created_at) VALUES (?, ?, ?, ?, 'CREATED', ?)",
      ).run(id, ownerId(owner), name, videoUrl, now());
      return this.project(owner, id)!;
    },
    project(owner: string, id: string): Project | undefined {
      const row = db.prepare('SELECT * FROM projects WHERE id = ? AND owner = ?').get(id, ownerId(owner));
      return row ? refresh(row) : undefined;
    },
    /** Projects of a key not yet SUCCEEDED or FAILED, brought up to date first. */
    running(owner: string): number {
      const rows = db
        .prepare("SELECT * FROM projects WHERE owner = ? AND status NOT IN ('SUCCEEDED', 'FAILED')")
        .all(ownerId(owner));
      return rows.map(refresh).filter((p) => p.status !== 'SUCCEEDED' && p.status !== 'FAILED').length;
    },
    close(): void {
      db.close();
    },
  };
}

/**
 * Type of the store.
 * @example function buildApp(config: Config, store: Store) {}
 */
export type Store = ReturnType<typeof openStore>;

function ownerId(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
