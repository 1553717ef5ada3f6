import { fileURLToPath } from 'node:url';
import { runFfprobe } from './ffprobe.ts';

/**
 * A one-second 64×64 H.264 MP4 that every working ffprobe reads: when ffprobe fails on an
 * upload, probing this tells a broken tool (our fault) from a broken file (the client's).
 * @example await runFfprobe(REFERENCE_FILE, config.ffprobePath)
 */
export const REFERENCE_FILE = fileURLToPath(new URL('./reference.mp4', import.meta.url));

/**
 * The last verdict of the self-check.
 * @example const { ok, detail }: ProberHealth = await prober.check();
 */
export interface ProberHealth {
  /** ffprobe read the reference file and found its video stream. */
  readonly ok: boolean;
  /** Why not, for logs (never sent to clients). */
  readonly detail: string;
  /** When it was taken, ms since the epoch. */
  readonly checkedAt: number;
}

/**
 * The prober's self-check, cached: `/healthz` and every failed probe ask it, and at most one
 * ffprobe run per `ttlMs` answers them all.
 * @example if (!(await prober.check()).ok) throw signals.error('ih1001');
 */
export interface ProberCheck {
  check(): Promise<ProberHealth>;
}

/**
 * Options of `createProberCheck`.
 * @example createProberCheck({ ffprobePath: config.ffprobePath, ttlMs: 10_000 } satisfies ProberCheckOptions)
 */
export interface ProberCheckOptions {
  readonly ffprobePath: string;
  /** How long a verdict is reused (default 10 s): short, so a repaired binary is seen soon. */
  readonly ttlMs?: number;
  readonly referenceFile?: string;
  readonly now?: () => number;
}

/**
 * Builds the cached self-check of an ffprobe binary on `REFERENCE_FILE`.
 * @example
 * const prober = createProberCheck({ ffprobePath: config.ffprobePath });
 * (await prober.check()).ok // true with the shipped ffprobe
 */
export function createProberCheck(options: ProberCheckOptions): ProberCheck {
  const ttlMs = options.ttlMs ?? 10_000;
  const now = options.now ?? Date.now;
  const file = options.referenceFile ?? REFERENCE_FILE;
  let last: Promise<ProberHealth> | undefined;
  let lastAt = Number.NEGATIVE_INFINITY;

  const run = async (): Promise<ProberHealth> => {
    const result = await runFfprobe(file, options.ffprobePath, { timeoutMs: 10_000 });
    const checkedAt = now();
    if (!result.ok) return { ok: false, detail: `ffprobe ${result.reason}: ${result.detail}`, checkedAt };
    const video = result.output.streams?.some((stream) => stream.codec_type === 'video');
    return video
      ? { ok: true, detail: 'reference file probed', checkedAt }
      : { ok: false, detail: 'ffprobe found no video stream in the reference file', checkedAt };
  };

  return {
    check() {
      if (!last || now() - lastAt >= ttlMs) {
        lastAt = now();
        last = run();
      }
      return last;
    },
  };
}
