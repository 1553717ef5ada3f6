/**
 * Scenario 3 — uploads: the upload route's streaming stage vs a bare @fastify/multipart sink
 * (32 MiB MP4), refusal of a 200 MiB declared upload by the real service, and ffprobe
 * inspection of the 32 MiB MP4. Run alone: `node bench/scenarios/3-uploads.ts`.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inspect } from '../../apps/signals-api/src/media/inspect.ts';
import { MAX_SEGMENT_BYTES } from '../../apps/signals-api/src/media/media-info.ts';
import { pinSelf, type ServerChild, startServer } from '../lib/child.ts';
import { type MultipartBody, multipartFor } from '../lib/multipart.ts';
import { oversizeUpload, type RawUploadResult } from '../lib/raw-upload.ts';
import { compare, emit, type Figure, median } from '../lib/result.ts';
import { type Service, startService } from '../lib/service.ts';
import { ensureVideo, ffmpegPath, ffprobePath } from '../lib/video.ts';

const MiB = 2 ** 20;
const DECLARED = 200 * MiB;
const BODY_READ_LIMIT = 64 * 1024;
const UPLOAD_RUNS = 7;
const OVERSIZE_RUNS = 5;
const PROBE_RUNS = 7;
const twoCores = availableParallelism() >= 2;
const SERVER_CPU = twoCores ? 1 : undefined;

const root = join(import.meta.dirname, '..', '..');
const tmp = join(root, 'bench/.tmp');
const videoPath = join(tmp, 'video-32mib.mp4');
const countRead = join(root, 'bench/servers/count-read.ts');
const notes: string[] = [];
const figures: Figure[] = [];

// The largest segment the service accepts (32 MiB): the upload a client is most likely to wait on.
const made = await ensureVideo(videoPath, MAX_SEGMENT_BYTES);
notes.push(
  `video: ${(made.size / MiB).toFixed(1)} MiB H.264/AAC MP4 from the npm-shipped ffmpeg${made.madeIn ? `, made in ${made.madeIn.toFixed(0)} s` : ' (cached in bench/.tmp)'}`,
);
const video = readFileSync(videoPath);
const body = multipartFor('video.mp4', 'video/mp4');
// The client (this process) on CPU 0, the servers on CPU 1; ffprobe children inherit CPU 0.
const pinnedHere = twoCores && pinSelf(0);

const servers: ServerChild[] = [];
let service: Service | undefined;
try {
  // --- A. streaming stage: MiB/s, route stage vs bare sink --------------------------------------
  const stage = await startServer(join(root, 'bench/servers/upload-stage.ts'), ['signals'], SERVER_CPU);
  const bare = await startServer(join(root, 'bench/servers/upload-stage.ts'), ['bare'], SERVER_CPU, [
    '--import',
    countRead,
  ]);
  servers.push(stage, bare);
  for (const s of [stage, bare]) for (let i = 0; i < 2; i++) await upload(s.port, body, video); // warm-up
  const speed = { stage: [] as number[], bare: [] as number[] };
  const cpu = { stage: [] as number[], bare: [] as number[] };
  for (let run = 0; run < UPLOAD_RUNS; run++) {
    const order = run % 2 === 0 ? (['stage', 'bare'] as const) : (['bare', 'stage'] as const);
    for (const which of order) {
      const server = which === 'stage' ? stage : bare;
      const before = await server.cpuMicros();
      const seconds = await upload(server.port, body, video);
      cpu[which].push(((await server.cpuMicros()) - before) / 1000);
      speed[which].push((body.head.length + video.length + body.tail.length) / MiB / seconds);
    }
  }
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  notes.push(`upload runs (MiB/s, in order): stage ${list(speed.stage)}; bare ${list(speed.bare)}`);
  const bareSpeed = { name: 'bare multipart sink', value: median(speed.bare) };
  const pairedSpeed = median(speed.stage.map((v, i) => v / speed.bare[i]!));
  figures.push({ name: 'bare @fastify/multipart sink → temp file', value: bareSpeed.value, unit: 'MiB/s' });
  figures.push(
    compare('upload route streaming stage → temp file', median(speed.stage), 'MiB/s', bareSpeed, 0.8, {
      ratio: pairedSpeed,
    }),
  );
  const bareCpu = { name: 'bare multipart sink', value: median(cpu.bare) };
  figures.push({ name: 'bare sink — server CPU per 32 MiB upload', value: bareCpu.value, unit: 'ms' });
  figures.push(
    compare('route streaming stage — server CPU per 32 MiB upload', median(cpu.stage), 'ms', bareCpu, 1.25, {
      ratio: median(cpu.stage.map((v, i) => v / cpu.bare[i]!)),
      higherIsBetter: false,
    }),
  );

  // --- B. oversize: Content-Length 200 MiB, bytes the server actually read -------------------------
  service = await startService(tmp, SERVER_CPU);
  const token = await service.token(['interhumanai.upload']);
  // Several attempts: how much arrives before the refusal depends on timing (a socket read can
  // land while the token is being checked), and the target is about the worst case.
  const appReads: number[] = [];
  const lingerReads: number[] = [];
  const answers: string[] = [];
  let refused: RawUploadResult | undefined;
  for (let run = 0; run < OVERSIZE_RUNS; run++) {
    refused = await oversizeUpload({
      port: service.port,
      path: '/v0/upload/analyze',
      headers: { Authorization: `Bearer ${token}` },
      declared: DECLARED,
      body,
      filler: video,
    });
    // Read before the refusal's first byte (the target), and read in all: the lingering close
    // then reads and drops the rest, bounded by SIGNALS_LINGER_MS / SIGNALS_LINGER_BYTES.
    appReads.push((await readBy(service.messages, refused, 'readBeforeAnswer')) - refused.headBytes);
    lingerReads.push((await readBy(service.messages, refused)) - refused.headBytes);
    const id = /"error_id":"(\w+)"/.exec(refused.response)?.[1];
    answers.push(refused.statusLine ? `${refused.statusLine.slice(9, 12)} ${id ?? '(no error_id)'}` : 'none');
  }
  const baseline = await oversizeUpload({
    port: bare.port,
    path: '/upload',
    headers: {},
    declared: DECLARED,
    body,
    filler: video,
  });
  const bareRead = (await readBy(bare.messages, baseline)) - baseline.headBytes;
  const appRead = Math.max(...appReads);
  figures.push({
    name: 'bare multipart sink (100 MiB fileSize limit): body bytes read',
    value: bareRead / 1024,
    unit: 'KiB',
  });
  figures.push({
    name: `signals-api upload route: body bytes read before refusing (worst of ${OVERSIZE_RUNS})`,
    value: appRead / 1024,
    unit: 'KiB',
    baseline: 'bare',
    ratio: appRead / bareRead,
    target: '≤ 64 KiB of body',
    ok: appRead <= BODY_READ_LIMIT,
  });
  notes.push(
    `oversize: body bytes read before the answer per attempt ${appReads.join(', ')}; read in all, lingering close included (bounded by SIGNALS_LINGER_MS / SIGNALS_LINGER_BYTES, so the client reads the refusal instead of a reset) ${lingerReads.join(', ')}; answer the client received per attempt: ${answers.join(', ')} ("none": the connection closed, or was reset, before the answer could be read); the raw client got ${(refused!.clientWrote / 1024).toFixed(0)} KiB into the kernel (socket buffers included) on the last attempt`,
    `oversize baseline: the bare sink answered \`${baseline.statusLine ?? 'nothing'}\` after reading ${(bareRead / MiB).toFixed(1)} MiB (all that was sent)`,
  );

  // --- C. ffprobe inspection of the 32 MiB MP4 ------------------------------------------------------
  const probe = promisify(execFile);
  const probeArgs = [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    '--',
    videoPath,
  ];
  const timeIt = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const inspectOnce = () => inspect(videoPath, ffprobePath, { container: 'mp4', ffmpegPath });
  const media = await inspectOnce(); // warm-up; also caches the decoder list, as a running server has
  await probe(ffprobePath, probeArgs);
  const ms = { inspect: [] as number[], raw: [] as number[] };
  for (let run = 0; run < PROBE_RUNS; run++) {
    ms.raw.push(await timeIt(() => probe(ffprobePath, probeArgs)));
    ms.inspect.push(await timeIt(inspectOnce));
  }
  const rawProbe = { name: 'bare ffprobe', value: median(ms.raw) };
  figures.push({
    name: 'bare `ffprobe -show_format -show_streams` process',
    value: rawProbe.value,
    unit: 'ms',
  });
  figures.push(
    compare(
      'signals-api inspect() (stat, atom walk, ffprobe, checks)',
      median(ms.inspect),
      'ms',
      rawProbe,
      undefined,
      {
        ratio: median(ms.inspect.map((v, i) => v / ms.raw[i]!)),
      },
    ),
  );
  notes.push(
    `ffprobe: ${media.container}, ${media.video.codec} ${media.video.width}x${media.video.height}, ${media.durationSeconds.toFixed(1)} s; ${PROBE_RUNS} runs each, alternating, after one warm-up; no target set (reported)`,
    `${pinnedHere ? 'client and ffprobe pinned to CPU 0, servers to CPU 1 (taskset)' : 'not pinned (no taskset or one core)'}; temp files in bench/.tmp/uploads`,
  );
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await service?.stop();
}

emit({
  id: 'uploads',
  title: '3. Uploads — streaming stage, oversize refusal, ffprobe inspection',
  method: `32 MiB MP4 as multipart from memory over a fresh 127.0.0.1 connection; the route's streaming stage alone (its multipart setup + receiveUpload: gate, sniff, temp file, removal — analysis would dominate, so no auth/ffprobe/analysis) vs bare @fastify/multipart piping to a temp file; ${UPLOAD_RUNS} alternating runs after 2 warm-ups, median MiB/s and median paired ratio; oversize = real \`signals-api serve\` with a valid token, raw socket declaring ${DECLARED / MiB} MiB, server-side socket.bytesRead minus the request head; ffprobe = median wall time.`,
  figures,
  notes,
});

/** One multipart upload; resolves to its wall time in seconds, after checking the answer. */
function upload(port: number, form: MultipartBody, file: Buffer): Promise<number> {
  const length = form.head.length + file.length + form.tail.length;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/upload',
        agent: false,
        headers: { 'content-type': form.contentType, 'content-length': length },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d));
        res.on('end', () => {
          const seconds = (performance.now() - started) / 1000;
          const bytes = (JSON.parse(text) as { bytes?: number }).bytes;
          if (res.statusCode !== 200 || bytes !== file.length)
            reject(new Error(`upload answered ${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(seconds);
        });
      },
    );
    req.on('error', reject);
    req.write(form.head);
    req.write(file);
    req.end(form.tail);
  });
}

/** The server's read count for the raw client's connection (by its port), waiting up to 5 s. */
async function readBy(
  messages: unknown[],
  client: RawUploadResult,
  which: 'socketRead' | 'readBeforeAnswer' = 'socketRead',
): Promise<number> {
  for (let waited = 0; waited < 5000; waited += 50) {
    const record = messages.find(
      (m): m is { socketRead: number; readBeforeAnswer: number } =>
        typeof m === 'object' && m !== null && (m as { remotePort?: number }).remotePort === client.localPort,
    );
    if (record) return record[which];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server reported no read count for port ${client.localPort}`);
}
