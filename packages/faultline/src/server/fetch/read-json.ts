import { fault } from '../shared/faults.ts';

/**
 * Options of `readJson`.
 * @example await readJson(request, { limit: 64 * 1024 })
 */
export interface ReadJsonOptions {
  /** Largest body accepted, in bytes; default 1 MiB (Fastify's default too). */
  readonly limit?: number;
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/;

/**
 * Reads a JSON body the way a framework would, raising faults the adapters answer through
 * their fault table: `unsupportedMediaType` for another content type or charset,
 * `bodyTooLarge` past the limit (checked while streaming, not after), `invalidJson` for an
 * empty, non-UTF-8 or unparsable body.
 * @example const body = await readJson(c.req.raw, { limit: 64 * 1024 });
 */
export async function readJson(request: Request, options?: ReadJsonOptions): Promise<unknown> {
  if (!isJson(request.headers.get('content-type'))) throw fault('unsupportedMediaType');
  const limit = options?.limit ?? 1_048_576;
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw fault('bodyTooLarge');
  const text = await readText(request, limit);
  if (text.trim() === '') throw fault('invalidJson');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw fault('invalidJson', { cause });
  }
}

function isJson(contentType: string | null): boolean {
  if (contentType === null) return false;
  const [media = '', ...params] = contentType.split(';');
  if (!JSON_MEDIA.test(media.trim().toLowerCase())) return false;
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') return false;
  }
  return true;
}

async function readText(request: Request, limit: number): Promise<string> {
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let size = 0;
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw fault('bodyTooLarge');
      }
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  } catch (error) {
    // fatal decoding: the bytes are not UTF-8, so they cannot be JSON either.
    if (error instanceof TypeError) throw fault('invalidJson', { cause: error });
    throw error;
  } finally {
    reader.releaseLock();
  }
}
