import type { Entry } from '../catalog/types.ts';
import { closeCodeOf, closeReason, errorFrame } from '../ws/frame.ts';
import { closeCodeLine } from './close-codes.ts';
import { SAMPLE_CORRELATION_ID, sampleError } from './sample.ts';

/** A fixed instant for example timestamps, so generated pages do not change from run to run. */
const SAMPLE_TIME = Date.UTC(2026, 0, 1, 12, 0, 0);

/**
 * The example of a WebSocket-only entry (no HTTP status): the message the server sends, then
 * the close frame that follows when the error ends the session — not an HTTP body.
 * @example wsExample(entry, { docsBase: 'https://api.example/docs/errors' }).text
 * // '{\n  "type": "error", …}\n\nThen the server closes the session: 1009 (Message Too Big), reason "e6002 Message Too Large"'
 */
export function wsExample(
  entry: Entry,
  context: { readonly docsBase?: string | undefined },
): { label: string; text: string; language: string } {
  const error = sampleError(entry);
  const frame = errorFrame(error, {
    correlationId: SAMPLE_CORRELATION_ID,
    docsBase: context.docsBase,
    now: () => SAMPLE_TIME,
  });
  const json = JSON.stringify(frame, null, 2);
  const after =
    entry.closeCode === undefined
      ? 'The session stays open.'
      : `Then the server closes the session: ${closeCodeLine(closeCodeOf(entry))}, reason "${closeReason(entry)}".`;
  return { label: 'Example WebSocket message', text: `${json}\n\n${after}`, language: 'text' };
}
