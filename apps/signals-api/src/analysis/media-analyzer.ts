import { signals } from '../catalog.ts';
import { type Activity, conversationQuality } from './conversation.ts';
import { deriveSignals, silenceSpans, soundSpans } from './derive.ts';
import { MeasureError, measure } from './measure.ts';
import type { Analyzer } from './types.ts';

/** Options of `createMediaAnalyzer`. */
export interface MediaAnalyzerOptions {
  readonly ffmpegPath: string;
  /**
   * CPU one analysis may spend per minute of video (at least one minute's worth): past it
   * the file asks too much work and is refused with ih5007. Undefined = no budget.
   */
  readonly cpuMsPerVideoMinute?: number;
}

/**
 * The CPU budget of one analysis: proportional to the video's duration, never under one minute's worth.
 * @example cpuBudgetMs(1800, 3000) // 90_000
 */
export function cpuBudgetMs(durationSeconds: number, perMinuteMs: number): number {
  return Math.ceil(Math.max(1, durationSeconds / 60) * perMinuteMs);
}

/**
 * The default analyzer: one ffmpeg pass measures silences, loudness and scene cuts, and the
 * result reports only those measurements. It has no model of people, so `engagement_state`
 * is always empty rather than guessed.
 * @example
 * const analyzer = createMediaAnalyzer({ ffmpegPath: config.ffmpegPath });
 * const result = await analyzer.analyze(path, media, { include: [], signal });
 */
export function createMediaAnalyzer(options: MediaAnalyzerOptions): Analyzer {
  return {
    name: 'media',
    async analyze(file, media, { include, signal }) {
      let measurements: Awaited<ReturnType<typeof measure>>;
      try {
        const budget =
          options.cpuMsPerVideoMinute === undefined
            ? undefined
            : cpuBudgetMs(media.durationSeconds, options.cpuMsPerVideoMinute);
        measurements = await measure(options.ffmpegPath, file, media, signal, budget);
      } catch (error) {
        throw measureFailure(error, signal, options.cpuMsPerVideoMinute);
      }
      const duration = media.durationSeconds;
      let activity: Activity | null = null;
      if (media.audio) {
        const silence = silenceSpans(measurements, duration);
        activity = { durationSeconds: duration, silence, sound: soundSpans(silence, duration) };
      }
      const quality = conversationQuality(activity, include, duration);
      return {
        signals: deriveSignals(measurements, { durationSeconds: duration, hasAudio: media.audio !== null }),
        engagement_state: [],
        ...(quality ? { conversation_quality: quality } : {}),
      };
    },
  };
}

function measureFailure(error: unknown, signal: AbortSignal, perMinuteMs: number | undefined): Error {
  if (!(error instanceof MeasureError)) return signals.error('ih1001', undefined, { cause: error });
  if (error.reason === 'too-costly') {
    // The file asks more work per minute of video than we grant any file: resending it cannot help.
    const seconds = ((perMinuteMs ?? 0) / 1000).toFixed(1);
    return signals.error(
      'ih5007',
      { reason: `analysing it would take more than ${seconds} CPU-seconds per minute of video, our limit` },
      { cause: error.message },
    );
  }
  if (error.reason === 'aborted') {
    // The wall-clock deadline passed before the CPU budget was spent: the machine was too busy
    // to give this analysis its share, which is load, not the file. A client that left sees nothing.
    const reason = signal.reason as { name?: string } | undefined;
    if (reason?.name === 'TimeoutError')
      return signals.error('ih1002', undefined, { cause: 'analysis deadline passed under load' });
    return signals.error('ih1001', undefined, { cause: signal.reason ?? error });
  }
  // ffprobe read the container, yet ffmpeg could not decode it through: a damaged stream.
  if (error.reason === 'failed') return signals.error('ih5002', undefined, { cause: error.message });
  return signals.error('ih1001', undefined, { cause: error.message });
}
