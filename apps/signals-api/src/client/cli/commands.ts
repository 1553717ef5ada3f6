import { stat } from 'node:fs/promises';
import { ResponseError } from 'faultline/client';
import { parse, UsageError } from '../../cli/args.ts';
import { MAX_SEGMENT_BYTES } from '../segments.ts';
import { createSignalsClient } from '../signals-client.ts';
import { INCLUDE_OPTIONS, type IncludeOption, type SignalsScope } from '../types.ts';
import { configPath, resolveSettings, type Settings, writeConfig } from './config.ts';
import { progressReporter } from './progress.ts';
import { summarize } from './report.ts';

/**
 * The streams and environment a command runs with (injected so tests can drive it).
 * @example const io: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
 */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
}

const URL_OPTION = { url: { type: 'string' } } as const;

/**
 * `signals login`: checks a key against the service, then stores it (0600). The key comes
 * from `--key-id`/`--key-secret`, from the environment, or as the JSON that
 * `signals-api keys create` prints, piped on stdin.
 * @example signals-api keys create --scopes interhumanai.upload | signals login
 */
export async function login(argv: readonly string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(argv, {
    ...URL_OPTION,
    'key-id': { type: 'string' },
    'key-secret': { type: 'string' },
  });
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}"; usage: signals login`);
  const settings = await resolveSettings(io.env, values.url);
  let keyId = values['key-id'] ?? io.env['SIGNALS_KEY_ID'];
  let keySecret = values['key-secret'] ?? io.env['SIGNALS_KEY_SECRET'];
  if ((!keyId || !keySecret) && !io.stdin.isTTY) {
    const piped = parseKey(await readAll(io.stdin));
    keyId ??= piped.key_id;
    keySecret ??= piped.key_secret;
  }
  if (!keyId || !keySecret)
    throw new UsageError(
      'no key given: pass --key-id and --key-secret, set SIGNALS_KEY_ID and SIGNALS_KEY_SECRET, or pipe the output of `signals-api keys create` into `signals login`',
    );
  const client = createSignalsClient({ url: settings.url, keyId, keySecret, policy: { maxAttempts: 2 } });
  const scope = await firstGrantedScope(client);
  const path = configPath(io.env);
  await writeConfig(path, { url: settings.url, key_id: keyId, key_secret: keySecret });
  io.stderr.write(
    `logged in to ${settings.url} as ${keyId} (scope ${scope}); saved to ${path} (mode 0600)\n`,
  );
}

/**
 * `signals upload FILE [--include …] [--json]`: uploads with a progress bar (plain lines when
 * stderr is not a terminal), prints the analysis as a summary on a terminal or JSON otherwise.
 * @example signals upload meeting.mp4 --include conversation_quality_overall
 */
export async function upload(argv: readonly string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(argv, {
    ...URL_OPTION,
    include: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1)
    throw new UsageError('usage: signals upload FILE [--include conversation_quality_overall,…] [--json]');
  const file = positionals[0]!;
  const include = includeOf(values.include);
  const size = await fileSize(file);
  const settings = await credentials(io, values.url);
  const client = createSignalsClient({
    url: settings.url,
    keyId: settings.keyId,
    keySecret: settings.keySecret,
  });
  const progress = progressReporter(io.stderr, { isTTY: Boolean(io.stderr.isTTY), label: baseName(file) });
  try {
    const analysis = await client.upload(file, { include, onProgress: progress.update });
    progress.finish();
    const readable = values.json !== true && Boolean(io.stdout.isTTY);
    io.stdout.write(readable ? summarize(analysis, file, size) : `${JSON.stringify(analysis, null, 2)}\n`);
  } finally {
    progress.finish();
  }
}

/**
 * `signals stream FILE…`: sends each file as a segment over the streaming API and prints
 * every event as it arrives (one JSON object per line when stdout is not a terminal).
 * @example signals stream part-001.mp4 part-002.mp4
 */
export async function stream(argv: readonly string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(argv, { ...URL_OPTION, include: { type: 'string', multiple: true } });
  if (positionals.length === 0) throw new UsageError('usage: signals stream FILE [FILE…] [--include …]');
  for (const file of positionals)
    if ((await fileSize(file)) > MAX_SEGMENT_BYTES)
      throw new UsageError(
        `${file}: a streamed segment is at most 20 MB; split it first (ffmpeg -i in.mp4 -c copy -f segment -segment_time 60 part-%03d.mp4)`,
      );
  const include = includeOf(values.include);
  const settings = await credentials(io, values.url);
  const client = createSignalsClient({
    url: settings.url,
    keyId: settings.keyId,
    keySecret: settings.keySecret,
  });
  const tty = Boolean(io.stdout.isTTY);
  const summary = await client.stream(positionals, {
    include,
    onEvent: (event) =>
      io.stdout.write(
        tty
          ? `${(event.timestamp ?? '').slice(11, 19)} ${event.type.padEnd(28)} ${JSON.stringify(event.data ?? {})}\n`
          : `${JSON.stringify(event)}\n`,
      ),
    // On stderr, so stdout stays the events alone.
    onReconnect: ({ delayMs, error }) =>
      io.stderr.write(
        `session ended${error?.code ? ` (${error.code})` : ''}; reconnecting in ${(delayMs / 1000).toFixed(1)} s\n`,
      ),
  });
  io.stderr.write(
    `${summary.segments} segment(s) analysed, ${summary.failed.length} refused, ${summary.reconnects} reconnect(s)\n`,
  );
  if (summary.failed.length > 0) throw new ResponseError(summary.failed[0]!.error, 1, 'not-retryable');
}

async function credentials(
  io: CliIo,
  url: string | undefined,
): Promise<Settings & { keyId: string; keySecret: string }> {
  const settings = await resolveSettings(io.env, url);
  if (!settings.keyId || !settings.keySecret)
    throw new UsageError(
      'not logged in: run `signals login` (or set SIGNALS_KEY_ID and SIGNALS_KEY_SECRET); `npm start` prints a development key on its first run',
    );
  return { ...settings, keyId: settings.keyId, keySecret: settings.keySecret };
}

async function firstGrantedScope(client: ReturnType<typeof createSignalsClient>): Promise<SignalsScope> {
  try {
    await client.token('interhumanai.upload');
    return 'interhumanai.upload';
  } catch (error) {
    // A stream-only key is refused the upload scope (ih2007) but is still a good key.
    if (!(error instanceof ResponseError) || error.code !== 'ih2007') throw error;
    await client.token('interhumanai.stream');
    return 'interhumanai.stream';
  }
}

function includeOf(values: readonly string[] | undefined): IncludeOption[] {
  const all = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const value of all)
    if (!(INCLUDE_OPTIONS as readonly string[]).includes(value))
      throw new UsageError(`--include "${value}" is not one of ${INCLUDE_OPTIONS.join(', ')}`);
  return [...new Set(all)] as IncludeOption[];
}

async function fileSize(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`${file}: no such file`);
  return info.size;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

async function readAll(stdin: NodeJS.ReadStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += String(chunk);
  return text;
}

function parseKey(text: string): { key_id?: string; key_secret?: string } {
  try {
    const parsed = JSON.parse(text) as { key_id?: unknown; key_secret?: unknown };
    return {
      ...(typeof parsed.key_id === 'string' ? { key_id: parsed.key_id } : {}),
      ...(typeof parsed.key_secret === 'string' ? { key_secret: parsed.key_secret } : {}),
    };
  } catch {
    return {};
  }
}
