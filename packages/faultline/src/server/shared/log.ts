/**
 * The logging an adapter needs: pino's signature (`(object, message)`), so a pino or Fastify
 * logger plugs in as is. Fastify's adapter uses the request's child logger.
 * @example const logger: FaultlineLogger = pino();
 */
export interface FaultlineLogger {
  error(object: Record<string, unknown>, message?: string): void;
  debug?(object: Record<string, unknown>, message?: string): void;
}

/**
 * An error as a log record: type, message, stack and causes. Only ever logged, never sent.
 * @example JSON.stringify(serializeError(new Error('x', { cause: err })))
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const out: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out['code'] = code;
  if (error.cause !== undefined && depth < 5) out['cause'] = serializeError(error.cause, depth + 1);
  return out;
}

/**
 * The default logger of the Express and fetch adapters: one JSON line per record on stderr,
 * pino-like (`level`, `time`, `msg`). Pass a pino logger in `logger` to use yours.
 * @example errorHandler({ catalog, format, logger: pino() })
 */
export const jsonLineLogger: FaultlineLogger = {
  error(object, message) {
    const record = { level: 'error', time: Date.now(), ...object, msg: message };
    if ('err' in record) record.err = serializeError(record.err);
    console.error(JSON.stringify(record));
  },
};

/**
 * Logs without ever throwing: a logger or serializer that fails (a frozen object, a throwing
 * getter) must not turn an answer into the framework's own 500 page.
 * @example logSafely(log, 'error', { err }, 'unhandled error');
 */
export function logSafely(
  log: FaultlineLogger,
  level: 'error' | 'debug',
  object: Record<string, unknown>,
  message: string,
): void {
  try {
    log[level]?.(object, message);
  } catch {
    try {
      log.error({ error_id: object['error_id'], log_failure: true }, message);
    } catch {
      // Nothing left to tell: the answer still goes out.
    }
  }
}
