import type { IncludeOption } from './types.ts';

/**
 * A multipart upload body built around a file, so the client knows its exact length (sent as
 * `Content-Length`: the server can refuse an oversize file before reading it) and can report
 * every chunk the connection pulls.
 * @example const body = uploadBody(file, 'clip.mp4', ['conversation_quality_overall']); fetch(url, { body: body.stream(onSent) });
 */
export interface UploadBody {
  readonly contentType: string;
  readonly length: number;
  /** A fresh stream of the whole body; `onSent(bytes)` after each chunk is handed over. */
  stream(onSent?: (sent: number) => void): ReadableStream<Uint8Array>;
}

/** Chunks of at most this size go to the connection, so progress moves smoothly. */
const CHUNK = 64 * 1024;

/**
 * The multipart body: one `include[]` field per option, then the file.
 * @example uploadBody(await fs.openAsBlob('clip.mp4'), 'clip.mp4', []).length
 */
export function uploadBody(file: Blob, filename: string, include: readonly IncludeOption[]): UploadBody {
  const boundary = `signals-${crypto.randomUUID()}`;
  const safeName = filename.replace(/["\r\n\\]/g, '_');
  const fields = include
    .map((value) => `--${boundary}\r\nContent-Disposition: form-data; name="include[]"\r\n\r\n${value}\r\n`)
    .join('');
  const head = `${fields}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const whole = new Blob([head, file, `\r\n--${boundary}--\r\n`]);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: whole.size,
    stream(onSent) {
      let offset = 0;
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            if (offset >= whole.size) {
              controller.close();
              return;
            }
            const chunk = new Uint8Array(await whole.slice(offset, offset + CHUNK).arrayBuffer());
            offset += chunk.byteLength;
            controller.enqueue(chunk);
            onSent?.(offset);
          },
        },
        // Read only when the connection asks: the count follows the socket, not the disk.
        { highWaterMark: 0 },
      );
    },
  };
}
