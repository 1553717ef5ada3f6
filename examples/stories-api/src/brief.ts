import { createHash } from 'node:crypto';
import { stories } from './catalog.ts';

/**
 * A valid story brief.
 * @example const brief: Brief = { prompt: 'A fox learns to sail', duration_minutes: 2 };
 */
export interface Brief {
  readonly prompt: string;
  readonly duration_minutes: number;
  readonly title?: string;
  readonly style?: string;
}

/**
 * One problem with one field, as listed in `details`.
 * @example const detail: Detail = { field: 'duration_minutes', issue: 'must be an integer from 1 to 10' };
 */
export interface Detail {
  readonly field: string;
  readonly issue: string;
}

const STYLES = ['narrative', 'documentary', 'explainer'];
const KNOWN = new Set(['prompt', 'duration_minutes', 'title', 'style']);

/**
 * Checks a brief and lists every problem by field; throws `invalid_request` when any.
 * @example const brief = parseBrief({ prompt: 'A fox', duration_minutes: 2 });
 */
export function parseBrief(body: unknown): Brief {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid([{ field: 'body', issue: 'must be a JSON object' }]);
  const b = body as Record<string, unknown>;
  const details: Detail[] = [];
  if (b['prompt'] === undefined) details.push({ field: 'prompt', issue: 'is required' });
  else if (typeof b['prompt'] !== 'string' || b['prompt'].trim() === '' || b['prompt'].length > 4000)
    details.push({ field: 'prompt', issue: 'must be a non-empty string of at most 4000 characters' });
  const minutes = b['duration_minutes'];
  if (minutes === undefined) details.push({ field: 'duration_minutes', issue: 'is required' });
  else if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 10)
    details.push({ field: 'duration_minutes', issue: 'must be an integer from 1 to 10' });
  if (b['title'] !== undefined && (typeof b['title'] !== 'string' || b['title'].length > 200))
    details.push({ field: 'title', issue: 'must be a string of at most 200 characters' });
  if (b['style'] !== undefined && (typeof b['style'] !== 'string' || !STYLES.includes(b['style'])))
    details.push({ field: 'style', issue: `must be one of ${STYLES.join(', ')}` });
  for (const key of Object.keys(b))
    if (!KNOWN.has(key)) details.push({ field: key.slice(0, 64), issue: 'is not a brief field' });
  if (details.length) throw invalid(details);
  return {
    prompt: b['prompt'] as string,
    duration_minutes: minutes as number,
    ...(b['title'] === undefined ? {} : { title: b['title'] as string }),
    ...(b['style'] === undefined ? {} : { style: b['style'] as string }),
  };
}

/**
 * The story id of a brief for one account: the same content (whatever its key order) gives
 * the same id, which is what makes creation idempotent.
 * @example storyId('acct', brief) // 'brief_3f2a…' (16 hex digits)
 */
export function storyId(account: string, brief: Brief): string {
  const canonical = JSON.stringify(brief, Object.keys(brief).sort());
  return `brief_${createHash('sha256').update(`${account}\n${canonical}`).digest('hex').slice(0, 16)}`;
}

/**
 * The `invalid_request` error for a list of problems.
 * @example throw invalid([{ field: 'body', issue: 'is not valid JSON' }]);
 */
export function invalid(details: readonly Detail[]) {
  return stories.error('invalid_request', { count: details.length, details: details.map((d) => ({ ...d })) });
}
