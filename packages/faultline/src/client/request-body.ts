/**
 * A request body, or a function that makes a fresh one for each attempt (so a streamed upload
 * with progress can still be retried: the stream is rebuilt, never re-sent).
 * @example const body: BodySource = () => fs.openAsBlob(path).then((b) => b.stream());
 */
export type BodySource = Body | null | (() => Body | Promise<Body>);

// What this environment's `fetch` takes as a body, named through `RequestInit` (a global in both
// lib.dom and @types/node) because `BodyInit` is DOM-only: the .d.ts must compile in a Node-only project.
type Body = NonNullable<RequestInit['body']>;

/**
 * Whether a body can be sent only once: a stream or an async iterable is consumed by the
 * first attempt, so the client never retries it (a 401 included).
 * @example isOneShot(new ReadableStream()) // true
 */
export function isOneShot(body: unknown): boolean {
  if (body === null || body === undefined || typeof body !== 'object') return false;
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return true;
  if (typeof FormData !== 'undefined' && body instanceof FormData) return false;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return false;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body) || body instanceof URLSearchParams)
    return false;
  return Symbol.asyncIterator in body || Symbol.iterator in body;
}
