import { execFile } from 'node:child_process';

const cache = new Map<string, Promise<ReadonlySet<string> | undefined>>();

/**
 * Codec names the given ffmpeg can decode, from `ffmpeg -decoders` (decoder names plus the
 * `(codec x)` each wrapper decoder names). Cached per binary. Undefined when ffmpeg cannot be
 * run: the caller then falls back to ffprobe's own "no codec" verdict.
 * @example (await decodableCodecs(config.ffmpegPath))?.has('vp9') // true
 */
export function decodableCodecs(ffmpegPath: string): Promise<ReadonlySet<string> | undefined> {
  let pending = cache.get(ffmpegPath);
  if (!pending) {
    pending = listDecoders(ffmpegPath);
    cache.set(ffmpegPath, pending);
  }
  return pending;
}

function listDecoders(ffmpegPath: string): Promise<ReadonlySet<string> | undefined> {
  return new Promise((resolve) => {
    execFile(
      ffmpegPath,
      ['-hide_banner', '-decoders'],
      { timeout: 10_000, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        if (error) {
          cache.delete(ffmpegPath);
          return resolve(undefined);
        }
        resolve(parseDecoderList(String(stdout)));
      },
    );
  });
}

/**
 * Parses the table `ffmpeg -decoders` prints (flags, name, description).
 * @example parseDecoderList(' V....D libdav1d  dav1d AV1 decoder (codec av1)') // Set {'libdav1d', 'av1'}
 */
export function parseDecoderList(text: string): ReadonlySet<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^\s*[VASDT.][A-Z.]{5}\s+(\S+)\s+(.*)$/.exec(line);
    if (!match || match[1] === '=') continue;
    names.add(match[1]!);
    const wrapped = /\(codec ([\w-]+)\)\s*$/.exec(match[2]!);
    if (wrapped) names.add(wrapped[1]!);
  }
  return names;
}
