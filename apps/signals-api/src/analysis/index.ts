/**
 * Analyzers behind `POST /v0/upload/analyze`: `media` measures the file with ffmpeg,
 * `http` forwards it to a model service. Both implement the `Analyzer` port.
 */
export { type Activity, conversationQuality, TIMELINE_WINDOW_SECONDS } from './conversation.ts';
export { deriveSignals, SPEECH_LEVEL_LUFS, type Span, silenceSpans, soundSpans } from './derive.ts';
export { createLogParser, type Measurements } from './ffmpeg-log.ts';
export { createHttpAnalyzer, type HttpAnalyzerOptions } from './http-analyzer.ts';
export { MEASURE, MeasureError, measure, measureArgs } from './measure.ts';
export { createMediaAnalyzer, type MediaAnalyzerOptions } from './media-analyzer.ts';
export {
  type AnalysisResult,
  type AnalyzeOptions,
  type Analyzer,
  type ConversationOverall,
  type ConversationQuality,
  type ConversationWindow,
  type EngagementState,
  INCLUDE_OPTIONS,
  type IncludeOption,
  isIncludeOption,
  type Signal,
} from './types.ts';
export { type Parsed, parseAnalysisResult } from './validate.ts';
