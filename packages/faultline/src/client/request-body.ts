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
 * first attempt, so the client never retries it (a 401 included). Every other body fetch
 * accepts (string, Blob, FormData, buffer, URLSearchParams) is read again for each attempt;
 * anything else is sent as its string, which can be too.
 * @example isOneShot(new ReadableStream()) // true
 */
export function isOneShot(body: unknown): boolean {
  // Checked apart: Safari's ReadableStream is not async-iterable.
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return true;
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}
