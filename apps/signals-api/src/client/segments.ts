/** Largest binary message the streaming API takes (ih6002 above it). */
export const MAX_SEGMENT_BYTES = 20 * 1024 * 1024;

/** One segment: a path (Node), a Blob/File, or bytes. */
export type Segment = string | Blob | Uint8Array;

/**
 * What `stream` sends: one segment, or a sequence of them (sync or async: a recorder may
 * produce them live).
 * @example const source: StreamSource = ['part-1.mp4', 'part-2.mp4'];
 */
export type StreamSource = Segment | Iterable<Segment> | AsyncIterable<Segment>;

/**
 * The segments of a source as bytes, read one at a time (only the one in flight is in memory).
 * @example for await (const bytes of segmentsOf('clip.mp4')) ws.send(bytes);
 */
export async function* segmentsOf(source: StreamSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string' || source instanceof Blob || source instanceof Uint8Array) {
    yield await bytesOf(source);
    return;
  }
  for await (const segment of source as AsyncIterable<Segment>) yield await bytesOf(segment);
}

async function bytesOf(segment: Segment): Promise<Uint8Array> {
  let blob: Blob | Uint8Array = segment instanceof Uint8Array ? segment : (segment as Blob);
  if (typeof segment === 'string') {
    const { openAsBlob } = await import('node:fs');
    blob = await openAsBlob(segment);
  }
  const size = blob instanceof Uint8Array ? blob.byteLength : blob.size;
  if (size > MAX_SEGMENT_BYTES)
    throw new RangeError(
      `a segment is at most 20 MB (this one is ${(size / 1024 / 1024).toFixed(1)} MB); split the video, e.g. ffmpeg -i in.mp4 -c copy -f segment -segment_time 60 part-%03d.mp4`,
    );
  return blob instanceof Uint8Array ? blob : new Uint8Array(await blob.arrayBuffer());
}
