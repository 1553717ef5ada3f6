import { round, type Span } from './derive.ts';
import type { ConversationOverall, ConversationQuality, ConversationWindow, IncludeOption } from './types.ts';

/**
 * Width of one timeline window, in seconds.
 * @example Math.ceil(duration / TIMELINE_WINDOW_SECONDS) // windows in the timeline
 */
export const TIMELINE_WINDOW_SECONDS = 5;

const WHAT_IT_IS =
  'Computed only from measured audio activity (sound vs. silence); speakers are not identified, ' +
  'so a turn is a stretch of sound between pauses of 0.3 s or more.';

/** The measured activity of a video's audio, or null when it has no audio track. */
export interface Activity {
  readonly durationSeconds: number;
  readonly sound: readonly Span[];
  readonly silence: readonly Span[];
}

/**
 * The `conversation_quality` object for the requested parts, or undefined when none is
 * requested. Without audio the values are null and the rationale says why — never guessed.
 * @example conversationQuality(activity, ['conversation_quality_overall'])?.overall?.speech_ratio // 0.675
 */
export function conversationQuality(
  activity: Activity | null,
  include: readonly IncludeOption[],
  durationSeconds: number,
): ConversationQuality | undefined {
  const wantsOverall = include.includes('conversation_quality_overall');
  const wantsTimeline = include.includes('conversation_quality_timeline');
  if (!wantsOverall && !wantsTimeline) return undefined;
  return {
    ...(wantsOverall ? { overall: overall(activity) } : {}),
    ...(wantsTimeline ? { timeline: timeline(activity, durationSeconds) } : {}),
  };
}

function overall(activity: Activity | null): ConversationOverall {
  if (!activity)
    return {
      speech_ratio: null,
      speech_seconds: null,
      silence_seconds: null,
      turns: null,
      mean_turn_seconds: null,
      longest_pause_seconds: null,
      rationale: 'The video has no audio track, so there is no conversation to measure.',
    };
  const speech = total(activity.sound);
  const silence = total(activity.silence);
  const turns = activity.sound.length;
  const ratio = activity.durationSeconds > 0 ? speech / activity.durationSeconds : 0;
  const longest = activity.silence.reduce((max, s) => Math.max(max, s.end - s.start), 0);
  return {
    speech_ratio: round(ratio),
    speech_seconds: round(speech),
    silence_seconds: round(silence),
    turns,
    mean_turn_seconds: turns ? round(speech / turns) : 0,
    longest_pause_seconds: round(longest),
    rationale:
      `${turns} turn${turns === 1 ? '' : 's'} of sound cover ${Math.round(ratio * 100)} % of ` +
      `${activity.durationSeconds.toFixed(2)} s; the longest pause lasts ${longest.toFixed(2)} s. ${WHAT_IT_IS}`,
  };
}

function timeline(activity: Activity | null, durationSeconds: number): ConversationWindow[] {
  const windows: ConversationWindow[] = [];
  for (let start = 0; start < durationSeconds; start += TIMELINE_WINDOW_SECONDS) {
    const end = Math.min(durationSeconds, start + TIMELINE_WINDOW_SECONDS);
    if (!activity) {
      windows.push({ start, end: round(end), speech_ratio: null, turns: null, rationale: 'No audio track.' });
      continue;
    }
    const speech = total(activity.sound.map((s) => intersect(s, { start, end })));
    const turns = activity.sound.filter((s) => s.start >= start && s.start < end).length;
    const ratio = end > start ? speech / (end - start) : 0;
    windows.push({
      start,
      end: round(end),
      speech_ratio: round(ratio),
      turns,
      rationale: `Sound during ${speech.toFixed(2)} s of this ${(end - start).toFixed(2)} s window; ${turns} turn${turns === 1 ? ' starts' : 's start'} in it.`,
    });
  }
  return windows;
}

function intersect(a: Span, b: Span): Span {
  const start = Math.max(a.start, b.start);
  return { start, end: Math.max(start, Math.min(a.end, b.end)) };
}

function total(spans: readonly Span[]): number {
  return spans.reduce((sum, s) => sum + (s.end - s.start), 0);
}
