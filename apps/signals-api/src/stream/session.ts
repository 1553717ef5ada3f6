import { type ApiError, isApiError } from 'faultline';
import type { WsSession } from 'faultline/ws';
import type { RawData } from 'ws';
import { INCLUDE_OPTIONS, type IncludeOption, isIncludeOption } from '../analysis/types.ts';
import { signals } from '../catalog.ts';
import { precheck, type SegmentContext, type SegmentResult, videoOf } from './segments.ts';

/** What a stream session needs besides its socket. */
export interface StreamSessionOptions {
  readonly segments: SegmentContext;
  /** Runs one segment's analysis under the service-wide gate. */
  readonly analyse: (
    bytes: Uint8Array,
    include: readonly IncludeOption[],
    signal: AbortSignal,
    correlationId: string,
  ) => Promise<SegmentResult>;
  /** Logs what the client must not see (causes of internal errors). */
  readonly log: (error: unknown, segment: number, correlationId: string) => void;
}

/**
 * One session's protocol state, made with its first message: until then `session.data` holds
 * the shared options, so an idle session costs nothing here.
 */
class State {
  readonly options: StreamSessionOptions;
  include: readonly IncludeOption[] = NOTHING;
  received = 0;
  queued = 0;
  /** The last segment's work: the next one starts after it (arrival order). */
  queue: Promise<void> | undefined = undefined;
  /** Aborted when the session closes; made with the first segment. */
  gone: AbortController | undefined = undefined;

  constructor(options: StreamSessionOptions) {
    this.options = options;
  }
}

/** Segments waiting in one session before we stop reading its socket (backpressure). */
const MAX_QUEUED = 2;
/** Longest piece of client input quoted back in a message. */
const MAX_ECHO = 60;

/**
 * Speaks the streaming protocol on an open session. Text frames are JSON commands
 * (`session.config`, `session.close`): not JSON → ih4006, wrong shape → ih6001, and the
 * session stays open either way. Binary frames are segments, analysed one after another in
 * arrival order and answered with `segment.processing`, then `signal.detected`…,
 * `engagement.updated`, `conversation_quality.updated` and `segment.completed`, or an error
 * message naming the segment (ih4002, ih4004, ih5001–ih5007, ih1001, ih1002); the session
 * stays open. When two segments wait, the socket is paused until one is done.
 * @example runStreamSession(session, { segments, analyse, log });
 */
export function runStreamSession(session: WsSession, options: StreamSessionOptions): void {
  session.data = options;
}

/**
 * The sessions' `onMessage` (one function for all of them; `session.data` holds what
 * `runStreamSession` set, then the session's state).
 * @example createWsSession(socket, id, { ...options, onMessage: onStreamMessage });
 */
export function onStreamMessage(session: WsSession, data: RawData, isBinary: boolean): void {
  const current = session.data as State | StreamSessionOptions | undefined;
  if (!current || !session.reading) return;
  let state: State;
  if (current instanceof State) state = current;
  else session.data = state = new State(current);
  if (isBinary) onSegment(session, state, toBuffer(data));
  else onText(session, state, toBuffer(data).toString('utf8'));
}

/** The initial `include`: shared, never mutated (a new array replaces it). */
const NOTHING: readonly IncludeOption[] = Object.freeze([]);

function onText(session: WsSession, state: State, text: string): void {
  let command: unknown;
  try {
    command = JSON.parse(text);
  } catch {
    session.sendError(signals.error('ih4006'));
    return;
  }
  const problem = commandProblem(command);
  if (problem) {
    session.sendError(signals.error('ih6001', { reason: problem }));
    return;
  }
  if ((command as { type: string }).type === 'session.config') {
    state.include = [...new Set((command as { include: IncludeOption[] }).include)];
    session.send('session.updated', { include: state.include });
    return;
  }
  // session.close: answer what was received, then close normally.
  session.stopReading();
  void session.settled().then(() => session.close(1000, 'session.close'));
}

function onSegment(session: WsSession, state: State, bytes: Buffer): void {
  const segment = ++state.received;
  session.send('segment.processing', { segment, bytes: bytes.length });
  try {
    precheck(bytes);
  } catch (error) {
    // No video at all: answered at once, never queued behind real segments.
    session.sendError(error as ApiError, { segment });
    release(bytes);
    return;
  }
  if (!state.gone) {
    const gone = new AbortController();
    state.gone = gone;
    session.onClose(() => gone.abort(new Error('session closed')));
  }
  if (++state.queued >= MAX_QUEUED) session.socket.pause();
  const include = state.include;
  const work = (state.queue ?? Promise.resolve()).then(() =>
    runSegment(session, state, segment, bytes, include),
  );
  state.queue = work;
  void session.track(work).then(() => {
    if (--state.queued < MAX_QUEUED && session.reading && session.open) session.socket.resume();
  });
}

async function runSegment(
  session: WsSession,
  state: State,
  segment: number,
  bytes: Buffer,
  include: readonly IncludeOption[],
) {
  const { options } = state;
  const signal = state.gone!.signal;
  try {
    if (signal.aborted) return;
    const { media, result } = await options.analyse(bytes, include, signal, session.correlationId);
    for (const found of result.signals) session.send('signal.detected', { segment, ...found });
    if (result.engagement_state.length > 0)
      session.send('engagement.updated', { segment, engagement_state: result.engagement_state });
    if (result.conversation_quality)
      session.send('conversation_quality.updated', { segment, ...result.conversation_quality });
    session.send('segment.completed', {
      segment,
      video: videoOf(media),
      signals: result.signals.length,
      analyzer: options.segments.analyzer.name,
    });
  } catch (error) {
    if (signal.aborted) return;
    if (!isApiError(error) || error.status >= 500) options.log(error, segment, session.correlationId);
    session.sendError(isApiError(error) ? error : signals.error('ih1001'), { segment });
  } finally {
    // The analysis has settled, so has every read of the bytes (the temp file's write included).
    release(bytes);
  }
}

/** What is wrong with a parsed command, in words for the client; undefined when it is fine. */
function commandProblem(command: unknown): string | undefined {
  if (typeof command !== 'object' || command === null || Array.isArray(command))
    return 'a text message must be a JSON object with a "type"';
  const { type, ...rest } = command as Record<string, unknown>;
  if (type === 'session.close') return extraKeys(rest, []);
  if (type === 'session.config') {
    const list = rest['include'];
    if (!Array.isArray(list)) return '"include" must be an array of strings';
    for (const value of list)
      if (typeof value !== 'string' || !isIncludeOption(value))
        return `"include" holds ${JSON.stringify(echo(value))}; accepted values are ${INCLUDE_OPTIONS.join(' and ')}`;
    return extraKeys(rest, ['include']);
  }
  if (typeof type !== 'string') return 'the "type" field is missing or not a string';
  return `unknown type ${JSON.stringify(echo(type))}; send "session.config" or "session.close"`;
}

function extraKeys(rest: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  const extra = Object.keys(rest).find((key) => !allowed.includes(key));
  return extra === undefined ? undefined : `unknown field ${JSON.stringify(echo(extra))}`;
}

function echo(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  // Control characters have no place in a one-line message.
  const clean = text.replace(/\p{Cc}/gu, '?');
  return clean.length > MAX_ECHO ? `${clean.slice(0, MAX_ECHO)}…` : clean;
}

/**
 * Frees a segment's memory now, once nothing reads it any more, when it owns its whole
 * ArrayBuffer (`ws` gives every message larger than a socket read one of its own), instead of
 * at V8's next full GC: the memory of a detached buffer goes back at once. Megabytes of
 * answered segments then never pile up as external memory, which is what triggers those full
 * GCs, each marking the whole heap (bench scenario 4: about half as many during ingest).
 */
function release(bytes: Buffer): void {
  const { buffer } = bytes;
  if (!(buffer instanceof ArrayBuffer) || bytes.byteOffset !== 0 || bytes.byteLength !== buffer.byteLength)
    return;
  try {
    buffer.transfer(0);
  } catch {
    // Not detachable (an embedder's buffer): the GC frees it, as before.
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
