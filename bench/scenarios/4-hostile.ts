/**
 * Scenario 4 — hostile clients: API key verifications per second with the legacy scrypt rows
 * (before) vs HMAC-SHA-256 + pepper (after); an upload's latency while 1,000 random-credential
 * auths run at concurrency 50 vs its quiet latency; analysis CPU per video-minute at 360p vs
 * 2160p (picture decoded at keyframes only above 640×360@60). Run alone:
 * `node bench/scenarios/4-hostile.ts`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { measureArgs } from '../../apps/signals-api/src/analysis/measure.ts';
import { checkCredentials } from '../../apps/signals-api/src/auth/credentials.ts';
import { provisionKey } from '../../apps/signals-api/src/auth/provision.ts';
import { hashSecret } from '../../apps/signals-api/src/auth/secrets.ts';
import { openSqliteStore } from '../../apps/signals-api/src/db/sqlite.ts';
import { runFfprobe } from '../../apps/signals-api/src/media/ffprobe.ts';
import { type MediaInfo, mediaInfoFromProbe } from '../../apps/signals-api/src/media/media-info.ts';
import { pinSelf } from '../lib/child.ts';
import { compare, emit, type Figure, median } from '../lib/result.ts';
import { startService } from '../lib/service.ts';
import { ffmpegPath, ffprobePath } from '../lib/video.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const tmp = join(root, 'bench/.tmp');
const figures: Figure[] = [];
const notes: string[] = [];
const AUTH_SECONDS = 3;
const CONCURRENCY = 50;
const CPU_RUNS = 3;
/** Flood size and rounds of part B. */
const FLOOD = 1000;
const ROUNDS = 5;

// --- A. credential checks per second, wrong secret, in process ---------------------------------
const store = openSqliteStore(':memory:');
const issued = await provisionKey(store, {
  scopes: ['interhumanai.upload'],
  plan: 'default',
  now: new Date(),
});
// A row as earlier versions stored it (scrypt N=2^14, r=8: 16 MiB), and one as they are stored now.
await store.createKey({
  id: 'key_legacy',
  secretHash: await hashSecret('sk_legacy'),
  scopes: ['interhumanai.upload'],
  plan: 'default',
  createdAt: new Date(),
});
const perSecond = async (keyId: string) => {
  let done = 0;
  const until = performance.now() + AUTH_SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      // A wrong secret: the check never succeeds, so the legacy row is never rehashed.
      await checkCredentials(store, keyId, `sk_${Math.random()}`);
      done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done / ((performance.now() - start) / 1000);
};
const before = await perSecond('key_legacy');
const after = await perSecond(issued.key_id);
const unknown = await perSecond('key_does_not_exist');
await store.close();
const scrypt = { name: 'scrypt (before)', value: before };
figures.push({ name: 'auth check, legacy scrypt row, wrong secret', value: before, unit: 'checks/s' });
figures.push(compare('auth check, HMAC-SHA-256 + pepper, wrong secret', after, 'checks/s', scrypt, 10));
figures.push(compare('auth check, unknown key id (same HMAC work)', unknown, 'checks/s', scrypt));

mkdirSync(tmp, { recursive: true });

// --- B. an upload's latency, quiet vs under 1,000 random-credential auths -----------------------
// The flood's client (this process) on CPU 0, the service and its ffmpeg children on CPU 1.
const twoCores = availableParallelism() >= 2;
const pinnedHere = twoCores && pinSelf(0);
const service = await startService(tmp, twoCores ? 1 : undefined);
notes.push(
  pinnedHere ? 'client pinned to CPU 0, service to CPU 1 (taskset)' : 'not pinned (no taskset or one core)',
);
try {
  const token = await service.token(['interhumanai.upload']);
  const video = readFileSync(join(root, 'apps/signals-api/test/fixtures/good.mp4'));
  const uploadOnce = async () => {
    const form = new FormData();
    form.append('file', new Blob([video]), 'good.mp4');
    const t = performance.now();
    const res = await fetch(`${service.url}/v0/upload/analyze`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`upload answered ${res.status}`);
    return performance.now() - t;
  };
  // 1,000 random-credential auths from a worker thread (its own event loop, so the upload's
  // client is not queued behind it); `started` resolves at the flood's first answer.
  const startFlood = () => {
    const worker = new Worker(new URL('../lib/auth-flood.ts', import.meta.url), {
      workerData: { url: service.url, count: FLOOD, connections: CONCURRENCY },
    });
    const started = new Promise((resolve) => worker.once('message', resolve));
    const done = new Promise<{ done: number; non2xx: number }>((resolve, reject) => {
      worker.on('message', (message: { done?: number; non2xx: number }) => {
        if (message.done !== undefined) resolve({ done: message.done, non2xx: message.non2xx });
      });
      worker.once('error', reject);
    }).finally(() => worker.terminate());
    return { started, done };
  };
  // A service under attack has been running: its auth and upload paths are compiled. One
  // unmeasured upload and one unmeasured flood first, so round 1 does not time V8's warm-up.
  await uploadOnce();
  await startFlood().done;
  const quiet: number[] = [];
  const loaded: number[] = [];
  const floodAnswers: string[] = [];
  const floodCpu: number[] = [];
  const floodMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    quiet.push(await uploadOnce());
    const cpuBefore = processCpuMs(service.child.pid!);
    const floodStart = performance.now();
    const flood = startFlood();
    await flood.started;
    const latency = await uploadOnce();
    const floodResult = await flood.done;
    floodCpu.push(processCpuMs(service.child.pid!) - cpuBefore);
    floodMs.push(performance.now() - floodStart);
    floodAnswers.push(`${floodResult.done} (${floodResult.non2xx} non-2xx)`);
    loaded.push(latency);
  }
  const quietFigure = { name: 'quiet', value: median(quiet) };
  figures.push({ name: 'upload of good.mp4, quiet', value: quietFigure.value, unit: 'ms' });
  figures.push(
    compare('upload of good.mp4 during 1,000 random auths (c=50)', median(loaded), 'ms', quietFigure, 2, {
      ratio: median(loaded.map((v, i) => v / quiet[i]!)),
      higherIsBetter: false,
    }),
  );
  notes.push(
    `upload latency per round (ms): quiet ${fmtList(quiet)}; during the auth flood ${fmtList(loaded)}`,
    `flood answers per round: ${floodAnswers.join(', ')}`,
    // What the flood cost the service, upload included: the share of CPU 1 the upload competed with.
    `service CPU per round while flooded (ms, the upload's own work included): ${fmtList(floodCpu)}`,
    // Past the per-IP limit each refusal waits SIGNALS_AUTH_REFUSAL_DELAY_MS (250 ms as
    // npm start runs it), so the 1,000 guesses are spread over seconds, not crammed into a burst.
    `flood duration per round (ms, first request to last answer): ${fmtList(floodMs)}`,
  );
} finally {
  await service.stop();
}

// --- C. analysis CPU per video-minute, 360p vs 2160p ------------------------------------------------
const videos = { '360p': join(tmp, 'moving-360p.mp4'), '2160p': join(tmp, 'moving-2160p.mp4') };
const sizes = { '360p': '640x360', '2160p': '3840x2160' } as const;
for (const [name, path] of Object.entries(videos) as [keyof typeof videos, string][]) {
  if (existsSync(path)) continue;
  // Same content and GOP (x264's default keyint 250) at both sizes; 12 s keeps the 4K encode short.
  await run(ffmpegPath, [
    ...['-hide_banner', '-v', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${sizes[name]}:rate=30`],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-t', '12', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '30', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-shortest', path],
  ]);
}
const cpuPerMinute = async (media: MediaInfo, args: string[]) => {
  const runs: number[] = [];
  for (let i = 0; i < CPU_RUNS; i++) {
    const { stderr } = await run('bash', [
      '-c',
      // `time` reports on the shell's own stderr; the command's output is discarded.
      'TIMEFORMAT="%3U %3S"; time "$@" >/dev/null 2>&1',
      'bash',
      ffmpegPath,
      ...args,
    ]);
    const [user, sys] = stderr.trim().split(/\s+/).map(Number);
    runs.push(((user! + sys!) * 1000) / (media.durationSeconds / 60));
  }
  return median(runs);
};
// ffprobe + the app's reading of it, without inspect()'s 32 MB segment cap (a cost figure, not an upload).
const probe = async (path: string) => {
  const result = await runFfprobe(path, ffprobePath);
  if (!result.ok) throw new Error(`ffprobe ${result.reason}: ${result.detail}`);
  return mediaInfoFromProbe(result.output, { container: 'mp4', sizeBytes: statSync(path).size });
};
const media360 = await probe(videos['360p']);
const media2160 = await probe(videos['2160p']);
const cpu360 = await cpuPerMinute(media360, measureArgs(videos['360p'], media360));
const cpu2160 = await cpuPerMinute(media2160, measureArgs(videos['2160p'], media2160));
// What 2160p cost before: every frame decoded (the same arguments without -skip_frame).
const fullArgs = measureArgs(videos['2160p'], media2160).filter(
  (arg, i, all) => arg !== '-skip_frame:v' && all[i - 1] !== '-skip_frame:v',
);
const cpu2160full = await cpuPerMinute(media2160, fullArgs);
const base360 = { name: '360p', value: cpu360 };
figures.push({ name: 'analysis CPU per video-minute, 360p (every frame)', value: cpu360, unit: 'ms' });
figures.push(
  compare('analysis CPU per video-minute, 2160p (keyframes)', cpu2160, 'ms', base360, 2, {
    higherIsBetter: false,
  }),
);
figures.push(compare('2160p with every frame decoded (before)', cpu2160full, 'ms', base360));

emit({
  id: 'hostile',
  title: '4. Hostile clients — credential checks, upload under an auth flood, analysis cost per video-minute',
  method: `checkCredentials() with a wrong secret, ${CONCURRENCY} concurrent loops for ${AUTH_SECONDS} s each, in process on an in-memory SQLite store; real \`signals-api serve\`: good.mp4 upload latency alone vs during 1,000 random-credential POST /v0/auth at concurrency ${CONCURRENCY} from autocannon in a worker thread, the upload sent once the flood answers (past the per-IP limit each refusal waits SIGNALS_AUTH_REFUSAL_DELAY_MS, 250 ms, as npm start runs the service), after one unmeasured upload and one unmeasured flood (a running service is warm); ${ROUNDS} rounds, median of paired ratios; the analyzer's ffmpeg pass (measureArgs) on 12 s testsrc2 + sine MP4s, user+sys CPU of the process (bash time), median of ${CPU_RUNS}, per minute of video.`,
  figures,
  notes,
});

/** User + system CPU of a process so far, in ms (Linux /proc; clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  // Fields after the command name: state is the 1st, utime the 12th, stime the 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function fmtList(xs: readonly number[]): string {
  return xs.map((x) => x.toFixed(0)).join(', ');
}
