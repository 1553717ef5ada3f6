import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { WireFormat } from 'faultline';
import type { Config } from './config.ts';

/** One entry's compiled encoder (faultline does not name the type on its public surface). */
type EntryEncoder = ReturnType<NonNullable<WireFormat['compile']>>;

/**
 * The docs base of every `link`: `SIGNALS_DOCS_URL`, else this server's own `/docs/errors`.
 * With PORT=0 the port is only known once the server listens, so the local URL is read from
 * the bound address — once: after `listening` it cannot change, and errors are a hot path.
 * @example const docsBase = docsBaseOf(app, config); docsBase() // 'http://127.0.0.1:8080/docs/errors'
 */
export function docsBaseOf(app: FastifyInstance, config: Config): () => string {
  if (config.docsUrl !== undefined) {
    const fixed = config.docsUrl;
    return () => fixed;
  }
  let bound: string | undefined;
  app.server.once('listening', () => {
    bound = localDocsUrl(app, config);
  });
  return () => bound ?? localDocsUrl(app, config);
}

/**
 * `format` with the docs base read when an error is answered rather than when the plugin is
 * registered (before the port is known). Compiled encoders keep their fast path: each entry's
 * encoder is rebuilt only when the base changes, i.e. once, when the server starts listening.
 * @example await app.register(faultlineFastify, { catalog, format: withLateDocsBase(transition(), docsBase) });
 */
export function withLateDocsBase(format: WireFormat, docsBase: () => string): WireFormat {
  const late: WireFormat = {
    ...format,
    encode: (error, context) => format.encode(error, { ...context, docsBase: docsBase() }),
  };
  const compile = format.compile;
  if (compile === undefined) return late;
  return {
    ...late,
    compile(entry, context) {
      let base: string | undefined;
      let encoder: EntryEncoder | undefined;
      return (error, correlationId) => {
        const current = docsBase();
        if (current !== base) {
          base = current;
          encoder = compile.call(format, entry, { ...context, docsBase: current });
        }
        return encoder?.(error, correlationId);
      };
    },
  };
}

/** This server's own docs page, from the address it actually listens on. */
function localDocsUrl(app: FastifyInstance, config: Config): string {
  const address = app.server.address() as AddressInfo | string | null;
  const port = address !== null && typeof address === 'object' ? address.port : config.port;
  return `${originOf(config.host, port)}/docs/errors`;
}

/**
 * `http://host:port` a client can use: a wildcard bind address is not one, so it becomes localhost.
 * @example originOf('0.0.0.0', 8080) // 'http://localhost:8080'
 */
export function originOf(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}
