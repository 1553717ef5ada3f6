/**
 * The scopes a token can carry, one per protected surface of the API.
 * @example SCOPES.upload // 'interhumanai.upload'
 */
export const SCOPES = {
  /** `POST /v0/upload/analyze`. */
  upload: 'interhumanai.upload',
  /** `GET /v0/stream/analyze` (WebSocket). */
  stream: 'interhumanai.stream',
} as const;

/**
 * A known scope value.
 * @example const scope: Scope = 'interhumanai.stream';
 */
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

/**
 * Every known scope, in documentation order.
 * @example ALL_SCOPES.join(', ') // 'interhumanai.upload, interhumanai.stream'
 */
export const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);

/**
 * Whether a value is a known scope. Case-sensitive, as the docs promise.
 * @example isScope('interhumanai.upload') // true ; isScope('Interhumanai.Upload') // false
 */
export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (ALL_SCOPES as readonly string[]).includes(value);
}
