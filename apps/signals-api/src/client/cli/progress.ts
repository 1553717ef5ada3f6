import type { UploadProgress } from '../types.ts';

/**
 * Something progress can be written to: a TTY gets a bar redrawn in place, anything else
 * plain lines (a log file or a CI console must not fill with carriage returns).
 * @example const bar = progressReporter(process.stderr, { isTTY: Boolean(process.stderr.isTTY) });
 */
export interface ProgressSink {
  write(text: string): unknown;
  readonly columns?: number | undefined;
}

/**
 * Human-readable bytes (binary units, as file managers show them).
 * @example formatBytes(1536) // '1.5 KiB'
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * A duration as `1m05s` / `42s`.
 * @example formatDuration(65_000) // '1m05s'
 */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * The upload progress display: on a TTY a bar with bytes, rate and ETA, redrawn at most every
 * 100 ms; otherwise a line at start, at each quarter, and when the upload is done.
 * @example const report = progressReporter(process.stderr, { isTTY: true, label: 'clip.mp4' }); client.upload(f, { onProgress: report.update });
 */
export function progressReporter(
  sink: ProgressSink,
  options: { isTTY: boolean; label: string; now?: () => number },
) {
  const now = options.now ?? Date.now;
  let started = now();
  let lastDraw = 0;
  let lastQuarter = -1;
  let drawn = false;
  let phase: UploadProgress['phase'] | undefined;

  const bar = (p: UploadProgress) => {
    const elapsed = Math.max(1, now() - started);
    const rate = (p.sent / elapsed) * 1000;
    const eta = rate > 0 ? ((p.total - p.sent) / rate) * 1000 : 0;
    const ratio = p.total > 0 ? Math.min(1, p.sent / p.total) : 0;
    const speed = p.sent > 0 ? `${formatBytes(rate)}/s ETA ${formatDuration(eta)}` : '-- B/s ETA --';
    const tail = ` ${String(Math.floor(ratio * 100)).padStart(3)}% ${formatBytes(p.sent)}/${formatBytes(p.total)} ${speed}`;
    const width = Math.max(10, Math.min(40, (sink.columns ?? 80) - tail.length - options.label.length - 4));
    const filled = Math.round(ratio * width);
    return `${options.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${tail}`;
  };

  return {
    update(p: UploadProgress): void {
      const t = now();
      if (p.phase === 'retrying') {
        sink.write(`${drawn ? '\n' : ''}server busy; sending again in ${formatDuration(p.waitMs ?? 0)}\n`);
        drawn = false;
        started = t + (p.waitMs ?? 0);
        lastQuarter = -1;
        phase = p.phase;
        return;
      }
      if (options.isTTY) {
        if (p.phase === 'analyzing' && phase !== 'analyzing') {
          sink.write(`\r\x1b[2K${bar(p)}\nanalyzing…\n`);
          drawn = false;
        } else if (p.phase === 'uploading' && (t - lastDraw >= 100 || p.sent === 0)) {
          sink.write(`\r\x1b[2K${bar(p)}`);
          drawn = true;
          lastDraw = t;
        }
      } else {
        const quarter = p.total > 0 ? Math.floor((p.sent / p.total) * 4) : 0;
        if (p.phase === 'uploading' && p.sent === 0)
          sink.write(`uploading ${options.label} (${formatBytes(p.total)})\n`);
        else if (p.phase === 'uploading' && quarter > lastQuarter && quarter < 4)
          sink.write(`uploaded ${formatBytes(p.sent)} of ${formatBytes(p.total)}\n`);
        else if (p.phase === 'analyzing' && phase !== 'analyzing')
          sink.write(`uploaded ${formatBytes(p.total)} in ${formatDuration(t - started)}; analyzing\n`);
        lastQuarter = Math.max(lastQuarter, quarter);
      }
      phase = p.phase;
    },
    /** Ends a bar left mid-line (an error arrived before the upload finished). */
    finish(): void {
      if (drawn) sink.write('\n');
      drawn = false;
    },
  };
}
