import type {
  AnalysisResult,
  ConversationOverall,
  ConversationQuality,
  ConversationWindow,
  EngagementState,
  Signal,
} from './types.ts';

/** A parsed value, or what is wrong with the input. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isProbability = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;

/**
 * Checks a remote analyzer's answer against the response contract before we repeat it to a
 * client: a model service that breaks the contract is our fault (ih1001), never the user's.
 * Unknown extra keys are dropped, so nothing unexpected leaks through.
 * @example parseAnalysisResult('{"signals":[],"engagement_state":[]}') // { ok: true, value: {…} }
 */
export function parseAnalysisResult(text: string): Parsed<AnalysisResult> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'answer is not JSON' };
  }
  if (!isObject(body)) return { ok: false, problem: 'answer is not an object' };
  if (!Array.isArray(body['signals'])) return { ok: false, problem: 'signals is not an array' };
  const signals: Signal[] = [];
  for (const [i, item] of body['signals'].entries()) {
    const signal = readSpan(item);
    if (!signal || typeof signal.type !== 'string' || signal.type === '')
      return { ok: false, problem: `signals[${i}] is not {type,start,end,probability,rationale}` };
    signals.push({ ...signal, type: signal.type });
  }
  const states: EngagementState[] = [];
  const rawStates = body['engagement_state'] ?? [];
  if (!Array.isArray(rawStates)) return { ok: false, problem: 'engagement_state is not an array' };
  for (const [i, item] of rawStates.entries()) {
    const state = readSpan(item);
    if (!state || typeof state.state !== 'string' || state.state === '')
      return { ok: false, problem: `engagement_state[${i}] is not {state,start,end,probability,rationale}` };
    states.push({ ...state, state: state.state });
  }
  const quality = body['conversation_quality'];
  if (quality !== undefined && quality !== null && !isObject(quality))
    return { ok: false, problem: 'conversation_quality is not an object' };
  let conversation: ConversationQuality | undefined;
  if (isObject(quality)) {
    const { overall, timeline } = quality;
    if (overall !== undefined && !isObject(overall))
      return { ok: false, problem: 'conversation_quality.overall is not an object' };
    if (timeline !== undefined && !(Array.isArray(timeline) && timeline.every(isObject)))
      return { ok: false, problem: 'conversation_quality.timeline is not an array of objects' };
    // The measures inside are the model's own; we only guarantee the two documented keys.
    conversation = {
      ...(overall ? { overall: overall as unknown as ConversationOverall } : {}),
      ...(timeline ? { timeline: timeline as unknown as ConversationWindow[] } : {}),
    };
  }
  return {
    ok: true,
    value: {
      signals,
      engagement_state: states,
      ...(conversation ? { conversation_quality: conversation } : {}),
    },
  };
}

function readSpan(
  item: unknown,
):
  | { type?: unknown; state?: unknown; start: number; end: number; probability: number; rationale: string }
  | undefined {
  if (!isObject(item)) return undefined;
  const { start, end, probability, rationale } = item;
  if (!isTime(start) || !isTime(end) || end < start || !isProbability(probability)) return undefined;
  if (typeof rationale !== 'string') return undefined;
  return { type: item['type'], state: item['state'], start, end, probability, rationale };
}
