import type { MediaInfo } from '../media/media-info.ts';

/** Optional outputs a client asks for with `include[]` form fields. */
export type IncludeOption = 'conversation_quality_overall' | 'conversation_quality_timeline';

/**
 * Every accepted `include[]` value, in documentation order.
 * @example INCLUDE_OPTIONS.join(' and ')
 */
export const INCLUDE_OPTIONS: readonly IncludeOption[] = [
  'conversation_quality_overall',
  'conversation_quality_timeline',
];

/**
 * Whether a string is an accepted `include[]` value.
 * @example isIncludeOption('conversation_quality_overall') // true
 */
export function isIncludeOption(value: string): value is IncludeOption {
  return (INCLUDE_OPTIONS as readonly string[]).includes(value);
}

/** One observation over a time range (seconds from the start of the video). */
export interface Signal {
  /** Namespaced type, e.g. `audio.speech`, `video.scene_cut`. */
  readonly type: string;
  readonly start: number;
  readonly end: number;
  /** 0–1; what it measures is stated in `rationale`. */
  readonly probability: number;
  /** How the value was obtained, in words, with the numbers behind it. */
  readonly rationale: string;
}

/** A span the analyzer judged to be in one engagement state. */
export interface EngagementState {
  readonly state: string;
  readonly start: number;
  readonly end: number;
  readonly probability: number;
  readonly rationale: string;
}

/** Conversation measures over the whole video. Null values: not measurable (e.g. no audio). */
export interface ConversationOverall {
  readonly speech_ratio: number | null;
  readonly speech_seconds: number | null;
  readonly silence_seconds: number | null;
  /** Stretches of sound between pauses; speakers are not identified. */
  readonly turns: number | null;
  readonly mean_turn_seconds: number | null;
  readonly longest_pause_seconds: number | null;
  readonly rationale: string;
}

/** Conversation measures of one window of the timeline. */
export interface ConversationWindow {
  readonly start: number;
  readonly end: number;
  readonly speech_ratio: number | null;
  readonly turns: number | null;
  readonly rationale: string;
}

/** Present only when `include[]` asks for a part of it. */
export interface ConversationQuality {
  readonly overall?: ConversationOverall;
  readonly timeline?: readonly ConversationWindow[];
}

/** What an analyzer returns; the route adds `correlation_id`, `video` and `analyzer`. */
export interface AnalysisResult {
  readonly signals: readonly Signal[];
  readonly engagement_state: readonly EngagementState[];
  readonly conversation_quality?: ConversationQuality;
}

/** Per-request options of an analysis. */
export interface AnalyzeOptions {
  readonly include: readonly IncludeOption[];
  /** Aborted when the client goes away or the analysis deadline passes: stop work, free resources. */
  readonly signal: AbortSignal;
  /** Forwarded to remote analyzers so their logs line up with ours. */
  readonly correlationId?: string;
}

/**
 * The port every analyzer implements. Failures are thrown as catalog errors
 * (ih1001 timeout/internal, ih1002 unavailable, ih5002 undecodable, ih5007 refused).
 * @example
 * const result = await analyzer.analyze(path, media, { include: [], signal: AbortSignal.timeout(60_000) });
 */
export interface Analyzer {
  /** Reported in the response's `analyzer` field. */
  readonly name: string;
  analyze(file: string, media: MediaInfo, options: AnalyzeOptions): Promise<AnalysisResult>;
}
