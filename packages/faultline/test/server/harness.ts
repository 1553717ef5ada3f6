import type { AddressInfo } from 'node:net';
import type { Catalog } from '../../src/catalog/index.ts';
import type { WireFormat } from '../../src/formats/index.ts';
import type { FaultMap } from '../../src/server/shared/faults.ts';
import type { FaultlineLogger } from '../../src/server/shared/log.ts';
import type { ProducedHook } from '../../src/testing/index.ts';

/** How a conformance run configures the app under test. */
export interface AppOptions {
  readonly format: WireFormat;
  readonly catalog?: Catalog;
  readonly now?: () => number;
  readonly coverage?: ProducedHook | false;
  readonly faults?: Partial<FaultMap<unknown>>;
}

/** One log record as the app wrote it (pino line or captured object), parsed. */
export type LogLine = Record<string, unknown>;

/** An app listening on a real socket. */
export interface RunningApp {
  readonly url: string;
  readonly logs: LogLine[];
  close(): Promise<void>;
}

/**
 * An adapter under test. Every app serves the same routes:
 * GET /ok → 200 `{ ok: true, correlation_id }`; GET /widgets/:id → widget_missing;
 * GET /slow → slow_down with RateLimit headers; GET /busy → upstream_busy (with a cause);
 * GET /boom → a plain Error (the internal entry); GET /throw-string → a thrown string;
 * POST /widgets → JSON body ≤ BODY_LIMIT bytes, `{ name: non-empty string, size?: integer }`, 201.
 */
export interface Adapter {
  readonly name: string;
  /** Whether the adapter tells 405 from 404. */
  readonly methodNotAllowed: boolean;
  start(options: AppOptions): Promise<RunningApp>;
}

/**
 * A pino-compatible logger that keeps records as JSON-safe objects, errors serialised with
 * their stack and causes, as a production logger would write them.
 */
export function captureLogger(lines: LogLine[]): FaultlineLogger {
  const write = (level: string) => (object: Record<string, unknown>, message?: string) => {
    lines.push(
      JSON.parse(JSON.stringify({ level, ...object, err: errorRecord(object['err']), msg: message })),
    );
  };
  return { error: write('error'), debug: write('debug') };
}

function errorRecord(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return { type: error.name, message: error.message, stack: error.stack, cause: errorRecord(error.cause) };
}

/** The origin of a listening node:http server. */
export function originOf(address: string | AddressInfo | null): string {
  if (address === null || typeof address === 'string') throw new Error(`unexpected address ${address}`);
  return `http://127.0.0.1:${address.port}`;
}
