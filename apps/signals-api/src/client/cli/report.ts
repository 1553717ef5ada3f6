import type { DecodedError } from 'faultline/client';
import { signals } from '../../catalog.ts';
import type { Analysis } from '../types.ts';
import { formatBytes } from './progress.ts';

/**
 * The failure report of the CLI: what the server said (decoded, whatever its shape), what
 * the catalog explains about that error (the same text as `faultline explain`: description
 * and how to fix it), the docs link, and the correlation id to quote to support.
 * @example process.stderr.write(explainError(error.error, 'http://127.0.0.1:8080'));
 */
export function explainError(error: DecodedError, url: string): string {
  const entry = error.code ? signals.get(error.code) : undefined;
  const lines: string[] = [];
  if (error.format === 'network')
    lines.push(
      `error: cannot reach ${url}: ${error.message}`,
      '',
      'Is the service running? Start it with: npm start',
    );
  else {
    const status = error.status > 0 ? ` (HTTP ${error.status})` : '';
    lines.push(
      `error ${error.code ?? 'unknown'}${entry ? `: ${entry.title}` : ''}${status}`,
      `  ${error.message}`,
    );
  }
  if (entry) {
    if (entry.description) lines.push('', ...entry.description.split('\n').map((l) => `  ${l}`));
    lines.push('', 'How to fix:', ...entry.fix.map((step, i) => `  ${i + 1}. ${step}`));
  }
  if (error.link) lines.push('', `Docs: ${error.link}`);
  if (error.retryAfterMs !== undefined) lines.push(`Retry after: ${Math.ceil(error.retryAfterMs / 1000)} s`);
  if (error.requestId) lines.push(`Correlation id: ${error.requestId}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A readable summary of an analysis, for a terminal.
 * @example process.stdout.write(summarize(analysis, 'clip.mp4', 1234567));
 */
export function summarize(analysis: Analysis, file: string, bytes: number): string {
  const v = analysis.video;
  const codecs = [v.video_codec, v.audio_codec].filter(Boolean).join('/');
  const size = v.width && v.height ? ` ${v.width}×${v.height}` : '';
  const fps = v.fps ? ` @ ${Math.round(v.fps * 100) / 100} fps` : '';
  const lines = [
    `${file.split(/[\\/]/).pop()} (${formatBytes(bytes)}): ${v.duration_seconds.toFixed(1)} s, ${v.container}${codecs ? ` ${codecs}` : ''}${size}${fps}`,
    `analyzer: ${analysis.analyzer}`,
    `signals (${analysis.signals.length}):`,
    ...analysis.signals
      .slice(0, 20)
      .map(
        (s) =>
          `  ${s.start.toFixed(1).padStart(6)}–${s.end.toFixed(1).padEnd(6)} s  ${s.type.padEnd(16)} ${s.probability.toFixed(2)}  ${short(s.rationale)}`,
      ),
    ...(analysis.signals.length > 20 ? [`  … ${analysis.signals.length - 20} more (--json shows all)`] : []),
  ];
  if (analysis.conversation_quality)
    lines.push(`conversation quality: ${JSON.stringify(analysis.conversation_quality)}`);
  lines.push(`correlation id: ${analysis.correlation_id}`);
  return `${lines.join('\n')}\n`;
}

/** A rationale's first sentence, capped: the summary is a glance; `--json` has the full text. */
function short(text: string): string {
  const first = text.split(/(?<=\.)\s/)[0] ?? text;
  return first.length > 70 ? `${first.slice(0, 69)}…` : first;
}
