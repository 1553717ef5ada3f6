/**
 * The scopes a signals token can carry (the server's `SCOPES`, repeated here so the client
 * pulls in no server module).
 * @example const scope: SignalsScope = 'interhumanai.upload';
 */
export type SignalsScope = 'interhumanai.upload' | 'interhumanai.stream';

/**
 * Optional parts of an analysis, sent as `include[]`.
 * @example const include: IncludeOption[] = ['conversation_quality_overall'];
 */
export type IncludeOption = 'conversation_quality_overall' | 'conversation_quality_timeline';

/**
 * Every `include[]` value the API knows, for validating user input early.
 * @example INCLUDE_OPTIONS.includes('conversation_quality_timeline') // true
 */
export const INCLUDE_OPTIONS: readonly IncludeOption[] = [
  'conversation_quality_overall',
  'conversation_quality_timeline',
];

/**
 * One detected signal of an analysis.
 * @example for (const s of analysis.signals) console.log(s.type, s.start, s.end, s.probability);
 */
export interface Signal {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly probability: number;
  readonly rationale: string;
}

/**
 * The body of a successful `POST /v0/upload/analyze`.
 * @example const { video, signals } = await client.upload('clip.mp4');
 */
export interface Analysis {
  readonly correlation_id: string;
  readonly video: {
    readonly duration_seconds: number;
    readonly container: string;
    readonly video_codec: string | null;
    readonly audio_codec: string | null;
    readonly width: number | null;
    readonly height: number | null;
    readonly fps: number | null;
  };
  readonly signals: readonly Signal[];
  readonly engagement_state: readonly unknown[];
  readonly conversation_quality?: Readonly<Record<string, unknown>>;
  readonly analyzer: string;
}

/**
 * Upload progress: bytes handed to the connection so far, of `total`. `phase` turns to
 * `analyzing` once every byte is sent and the server is working on the answer; `retrying`
 * while the client waits before sending the file again (the server refused it unprocessed).
 * @example onProgress: (p) => console.log(`${p.sent}/${p.total}`)
 */
export interface UploadProgress {
  readonly sent: number;
  readonly total: number;
  readonly phase: 'uploading' | 'analyzing' | 'retrying';
  /** During `retrying`: how long the client waits, in ms. */
  readonly waitMs?: number;
}

/**
 * A server message of the streaming session (`{type, timestamp, correlation_id, data}`).
 * @example onEvent: (e) => { if (e.type === 'signal.detected') console.log(e.data) }
 */
export interface StreamEvent {
  readonly type: string;
  readonly timestamp?: string;
  readonly correlation_id?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}
