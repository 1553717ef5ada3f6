import { signals } from '../catalog.ts';
import { type Activity, conversationQuality } from './conversation.ts';
import { deriveSignals, silenceSpans, soundSpans } from './derive.ts';
import { MeasureError, measure } from './measure.ts';
import type { Analyzer } from './types.ts';

/** Options of `createMediaAnalyzer`. */
export interface MediaAnalyzerOptions {
  readonly ffmpegPath: string;
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
        measurements = await measure(options.ffmpegPath, file, media, signal);
      } catch (error) {
        throw measureFailure(error, signal);
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

function measureFailure(error: unknown, signal: AbortSignal): Error {
  if (!(error instanceof MeasureError)) return signals.error('ih1001', undefined, { cause: error });
  if (error.reason === 'aborted') {
    // A deadline is our failure to finish in time; a client that left gets no answer anyway.
    return signals.error('ih1001', undefined, { cause: signal.reason ?? error });
  }
  // ffprobe read the container, yet ffmpeg could not decode it through: a damaged stream.
  if (error.reason === 'failed') return signals.error('ih5002', undefined, { cause: error.message });
  return signals.error('ih1001', undefined, { cause: error.message });
}
