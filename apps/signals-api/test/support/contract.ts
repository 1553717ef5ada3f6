import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * The contract check of every black-box test: each response a test receives from a server
 * started with `startServer` is recorded — through `fetch` (patched once per test worker) or,
 * for hand-written HTTP over raw sockets, through `recordResponse` — and at `server.stop()`
 * validated against the `/openapi.json` that same server serves: status declared for the
 * operation (or, for a path or method the API does not have, a documented error response),
 * content type, required and declared headers, and the body against its schema (Ajv, JSON
 * Schema 2020-12 as OpenAPI 3.1 uses it). A failure makes `stop()` reject, failing the suite.
 * A new test gets all of this by using `startServer` and `fetch` (or `recordResponse`).
 */

type Json = Record<string, unknown>;

/** One answer as the test saw it. */
interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  /** The body text; undefined when the client could not read it to the end (connection cut). */
  readonly body: Promise<string | undefined>;
}

const watched = new Map<string, Exchange[]>();
let originalFetch: typeof fetch | undefined;

/** Starts recording the answers of a server (called by `startServer`). */
export function watchOrigin(origin: string): void {
  watched.set(new URL(origin).origin, []);
  installFetchRecorder();
}

/**
 * Records an answer a test read by hand (raw socket, `http.request`, a WebSocket upgrade
 * refusal) for the contract check of the server at `origin`. Answers of unwatched origins are
 * ignored. The response's body is read here; pass a clone if the test reads it too.
 * @example recordResponse(server.url, 'GET', '/docs/errors%ZZ', response.clone());
 */
export function recordResponse(origin: string, method: string, path: string, response: Response): void {
  const list = watched.get(new URL(origin).origin);
  if (!list) return;
  list.push({
    method: method.toUpperCase(),
    path,
    status: response.status,
    headers: response.headers,
    body: response.text().catch(() => undefined),
  });
}

/** The `fetch` that is never recorded (for the support's own requests). */
export function unrecordedFetch(...args: Parameters<typeof fetch>): ReturnType<typeof fetch> {
  return (originalFetch ?? fetch)(...args);
}

function installFetchRecorder(): void {
  if (originalFetch) return;
  const original = globalThis.fetch;
  originalFetch = original;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await original(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (watched.has(url.origin)) {
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      recordResponse(url.origin, method, url.pathname, response.clone());
    }
    return response;
  };
}

/**
 * Validates and forgets every answer recorded for `origin` against `document`; resolves to
 * the list of violations (empty when all answers match their contract).
 * @example const problems = await checkContract(server.url, await (await fetch(`${server.url}/openapi.json`)).json());
 */
export async function checkContract(origin: string, document: Json | undefined): Promise<string[]> {
  const key = new URL(origin).origin;
  const exchanges = watched.get(key) ?? [];
  watched.delete(key);
  if (exchanges.length === 0) return [];
  if (document === undefined)
    return [`${exchanges.length} answers recorded but no /openapi.json to check them against`];
  const contract = new Contract(document);
  const problems: string[] = [];
  for (const exchange of exchanges) {
    const body = await exchange.body;
    for (const problem of contract.check(exchange, body))
      problems.push(`${exchange.method} ${exchange.path} → ${exchange.status}: ${problem}`);
  }
  return problems;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class Contract {
  readonly #doc: Json;
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(doc: Json) {
    this.#doc = doc;
    // strict: false: OpenAPI adds keywords JSON Schema does not know (discriminator, example).
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    this.#ajv.addFormat('uuid', UUID);
    this.#ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value));
    this.#ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
    this.#ajv.addSchema({ ...doc, $id: 'urn:signals:openapi' });
  }

  check(exchange: Exchange, body: string | undefined): string[] {
    const found = this.#responseFor(exchange);
    if (typeof found === 'string') return [found];
    const { spec, pointer } = found;
    const problems: string[] = [];
    for (const [name, header] of Object.entries((spec['headers'] as Json | undefined) ?? {})) {
      const { value: declared } = this.#resolve(header as Json, pointer);
      const value = exchange.headers.get(name);
      if (value === null) {
        if (declared['required'] === true) problems.push(`required header ${name} is missing`);
        continue;
      }
      const schema = declared['schema'] as Json | undefined;
      if (schema && !this.#validate(schema, coerce(value, schema)))
        problems.push(`header ${name}: ${JSON.stringify(value)} does not match ${JSON.stringify(schema)}`);
    }
    const content = spec['content'] as Record<string, Json> | undefined;
    const type = exchange.headers.get('content-type');
    const mediaType = type === null ? undefined : type.split(';')[0]!.trim().toLowerCase();
    if (!content) {
      if (body) problems.push(`no body is documented, got ${body.length} bytes`);
      return problems;
    }
    if (exchange.method === 'HEAD') return problems;
    if (mediaType === undefined || !(mediaType in content))
      return [...problems, `content type ${type} is not one of ${Object.keys(content).join(', ')}`];
    if (body === undefined) return problems; // cut off mid-body by the test itself: nothing to check
    const schema = content[mediaType]!['schema'] as Json | undefined;
    if (!schema) return problems;
    let value: unknown = body;
    if (/[/+]json$/.test(mediaType)) {
      try {
        value = JSON.parse(body);
      } catch {
        return [...problems, `body is not JSON: ${body.slice(0, 120)}`];
      }
    }
    const validate = this.#compile(schema);
    if (!validate(value))
      problems.push(`body ${body.slice(0, 200)} fails its schema: ${this.#ajv.errorsText(validate.errors)}`);
    return problems;
  }

  /** The documented response for this exchange, or why there is none. */
  #responseFor(exchange: Exchange): { spec: Json; pointer: string } | string {
    const paths = (this.#doc['paths'] as Record<string, Json> | undefined) ?? {};
    const template = Object.keys(paths).find((candidate) => matches(candidate, exchange.path));
    const method = exchange.method === 'HEAD' ? 'get' : exchange.method.toLowerCase();
    const operation = template === undefined ? undefined : (paths[template]![method] as Json | undefined);
    if (operation) {
      const responses = (operation['responses'] as Json | undefined) ?? {};
      const status = String(exchange.status);
      const declared = responses[status] ?? responses[`${status[0]}XX`] ?? responses['default'];
      if (declared === undefined)
        return `status ${status} is not declared for ${method.toUpperCase()} ${template}`;
      return this.#resolve(declared as Json, `#/paths/${template}/${method}/responses/${status}`);
    }
    // A path or method the API does not have: the answer must still be a documented error.
    const component = (this.#doc['components'] as { responses?: Json } | undefined)?.responses?.[
      `Error${exchange.status}`
    ];
    if (component === undefined)
      return `undocumented path/method, and no components.responses.Error${exchange.status} describes the answer`;
    return { spec: component as Json, pointer: `#/components/responses/Error${exchange.status}` };
  }

  #resolve(node: Json, pointer: string): { spec: Json; value: Json; pointer: string } {
    const ref = node['$ref'];
    if (typeof ref !== 'string') return { spec: node, value: node, pointer };
    let target: unknown = this.#doc;
    for (const part of ref.replace(/^#\//, '').split('/'))
      target = (target as Json)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
    return { spec: target as Json, value: target as Json, pointer: ref };
  }

  #compile(schema: Json): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.#compiled.get(key);
    if (!validate) {
      // Refs inside point into the document: compile with them made absolute.
      validate = this.#ajv.compile(rebase(schema));
      this.#compiled.set(key, validate);
    }
    return validate;
  }

  #validate(schema: Json, value: unknown): boolean {
    return this.#compile(schema)(value);
  }
}

/** `#/components/…` refs of a schema, made absolute so it compiles outside the document. */
function rebase(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"urn:signals:openapi#/')) as Json;
}

/** Header values are text; a header documented as a number is compared as one. */
function coerce(value: string, schema: Json): unknown {
  return (schema['type'] === 'integer' || schema['type'] === 'number') && /^-?\d+(\.\d+)?$/.test(value)
    ? Number(value)
    : value;
}

/** Whether an OpenAPI path template (`/items/{id}`) matches a request path. */
function matches(template: string, path: string): boolean {
  if (!template.includes('{')) return template === path;
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}
