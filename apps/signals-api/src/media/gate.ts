import { Transform, type TransformCallback } from 'node:stream';
import { signals } from '../catalog.ts';
import { type Container, claimMatches, familyOf } from './containers.ts';
import { damagedFamily, SNIFF_BYTES, sniff } from './sniff.ts';

/** The gate's verdict once the stream ended. */
export interface GateResult {
  readonly bytes: number;
  readonly container: Container;
}

/** A pass-through that enforces the upload rules while the bytes flow. */
export interface UploadGate extends Transform {
  /** Available after the stream finished without error. */
  result(): GateResult;
}

/**
 * A Transform every uploaded byte passes through on its way to disk. It fails the stream
 * — so the upload stops there, not after it was all read — with ih4003 the moment the
 * count passes `maxBytes`, and with ih4002 as soon as the first `SNIFF_BYTES` show content
 * that is no supported container or belongs to another family than the file name claims
 * (ih4001 for an empty part; ih5002 when name and magic bytes agree but the header is broken).
 * @example await pipeline(part.file, createUploadGate({ maxBytes, claimed: 'mp4' }), createWriteStream(tmp));
 */
export function createUploadGate(options: {
  readonly maxBytes: number;
  readonly claimed: Container;
}): UploadGate {
  let bytes = 0;
  let head: Buffer[] = [];
  let headBytes = 0;
  let container: Container | undefined;

  const judge = (): Error | undefined => {
    const bytes = Buffer.concat(head);
    head = [];
    const sniffed = sniff(bytes);
    // The name and the magic agree on a supported family, only the header is broken: a
    // damaged video, not an unsupported one.
    if (!sniffed && damagedFamily(bytes) === familyOf(options.claimed))
      return signals.error('ih5002', undefined, {
        cause: `${options.claimed} claimed, magic bytes agree, container header unreadable`,
      });
    if (!sniffed)
      return signals.error('ih4002', undefined, {
        cause: `content matches no supported container (${options.claimed} claimed)`,
      });
    if (!claimMatches(options.claimed, sniffed))
      return signals.error('ih4002', undefined, {
        cause: `name claims ${options.claimed}, content is ${sniffed}`,
      });
    container = sniffed;
    return undefined;
  };

  const gate = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      bytes += chunk.length;
      if (bytes > options.maxBytes)
        return done(signals.error('ih4003', undefined, { cause: `upload passed ${options.maxBytes} bytes` }));
      if (container === undefined) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes >= SNIFF_BYTES) {
          const refusal = judge();
          if (refusal) return done(refusal);
        }
      }
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      // An empty part is no video at all, rather than a video of the wrong type.
      if (bytes === 0) return done(signals.error('ih4001', undefined, { cause: 'the file part is empty' }));
      if (container === undefined) {
        const refusal = judge();
        if (refusal) return done(refusal);
      }
      done();
    },
  }) as UploadGate;
  gate.result = () => {
    if (container === undefined) throw new Error('upload gate: result() before the stream finished');
    return { bytes, container };
  };
  return gate;
}
