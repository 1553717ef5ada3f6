import { execFile } from 'node:child_process';

/** The parts of `ffprobe -print_format json -show_format -show_streams` we read. */
export interface ProbeOutput {
  readonly format?: {
    readonly format_name?: string;
    readonly duration?: string;
    readonly size?: string;
  };
  readonly streams?: readonly ProbeStream[];
}

/** One stream as ffprobe describes it. Numbers arrive as strings for some fields. */
export interface ProbeStream {
  readonly index: number;
  readonly codec_type?: string;
  readonly codec_name?: string;
  readonly codec_tag_string?: string;
  readonly width?: number;
  readonly height?: number;
  readonly avg_frame_rate?: string;
  readonly r_frame_rate?: string;
  readonly duration?: string;
  readonly sample_rate?: string;
  readonly channels?: number;
  readonly disposition?: Readonly<Record<string, number>>;
}

/** How a probe ended. `crashed` (killed by a signal) and `timeout` are told apart from a clean refusal. */
export type ProbeResult =
  | { readonly ok: true; readonly output: ProbeOutput }
  | {
      readonly ok: false;
      readonly reason: 'refused' | 'crashed' | 'timeout' | 'unavailable' | 'aborted';
      readonly detail: string;
    };

/** Options of `runFfprobe`. */
export interface ProbeOptions {
  /** Kill ffprobe after this long; a sane file is probed in well under a second. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 20_000;
/** ffprobe's JSON for a file with a handful of streams is a few KB; 4 MB allows odd files with many. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/**
 * Runs ffprobe on a file: no shell, arguments as an array, bounded time and output.
 * Never throws: the caller maps each outcome to a catalog error.
 * @example
 * const result = await runFfprobe('/tmp/upload-1', config.ffprobePath);
 * if (result.ok) console.log(result.output.format?.duration);
 */
export function runFfprobe(
  file: string,
  ffprobePath: string,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', file];
  return new Promise((resolve) => {
    execFile(
      ffprobePath,
      args,
      {
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        const detail = String(stderr).trim().slice(0, 2000);
        if (error) {
          const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
          if (failure.name === 'AbortError') return resolve({ ok: false, reason: 'aborted', detail });
          if (failure.code === 'ENOENT' || failure.code === 'EACCES')
            return resolve({ ok: false, reason: 'unavailable', detail: failure.message });
          if (failure.killed && failure.signal === 'SIGKILL')
            return resolve({ ok: false, reason: 'timeout', detail });
          if (failure.signal)
            return resolve({ ok: false, reason: 'crashed', detail: `${failure.signal} ${detail}` });
          return resolve({ ok: false, reason: 'refused', detail: detail || failure.message });
        }
        try {
          resolve({ ok: true, output: JSON.parse(String(stdout)) as ProbeOutput });
        } catch {
          resolve({ ok: false, reason: 'refused', detail: 'ffprobe printed no readable JSON' });
        }
      },
    );
  });
}
