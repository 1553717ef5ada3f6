import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a test route answers: the request, its body, the response, and which hit of the path this is (1-based). */
export type Script = (req: IncomingMessage, res: ServerResponse, hit: number, body: string) => void;

/** A scripted HTTP server on a real socket that records every request per path. */
export interface ScriptedServer {
  readonly base: string;
  readonly scripts: Map<string, Script>;
  readonly hits: Map<string, IncomingMessage[]>;
  close(): Promise<void>;
}

/** Starts a scripted server on 127.0.0.1 with a free port. */
export async function scriptedServer(): Promise<ScriptedServer> {
  const scripts = new Map<string, Script>();
  const hits = new Map<string, IncomingMessage[]>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const seen = hits.get(path) ?? [];
    seen.push(req);
    hits.set(path, seen);
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const script = scripts.get(path);
      if (script) script(req, res, seen.length, body);
      else json(res, 404, { message: 'no script', trace_id: 't' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    scripts,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON response. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** A fake sleep that records the delays asked for and resolves at once (or rejects on abort). */
export function recorder() {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
    },
  };
}
