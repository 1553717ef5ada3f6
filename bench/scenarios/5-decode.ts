/**
 * Scenario 5 — decode: `decodeAnyError` (faultline/decoders: the core shapes and the ecosystem
 * ones, what a client built with `decode: decodeAnyError` does with every error it receives) on
 * the raw text of an error response vs `JSON.parse` of the same bytes. The core `decodeError`
 * (faultline/client's default) runs the same code without the ecosystem hooks. Bodies: every JSON
 * example of the five seeds and one body per ecosystem convention the client reads (Google,
 * RFC 9457, Stripe, GitHub, AWS, Azure, OpenAI), compact as servers send them, each with the
 * headers such a response carries. Run alone: `node bench/scenarios/5-decode.ts`.
 */
import type { DecodedError } from 'faultline';
import { decodeAnyError } from 'faultline/decoders';
import { SEED_VECTORS } from '../../packages/faultline/test/formats/fixtures/seed-vectors.ts';
import { compare, emit, type Figure, median } from '../lib/result.ts';

interface Case {
  readonly name: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  date: 'Tue, 01 Dec 2026 03:00:00 GMT',
  connection: 'keep-alive',
};
const body = (value: unknown) => JSON.stringify(value);

const ECOSYSTEMS: readonly Case[] = [
  {
    name: 'google (AIP-193, ErrorInfo + RetryInfo)',
    status: 429,
    headers: { ...JSON_HEADERS },
    text: body({
      error: {
        code: 429,
        message: 'Too many reads for this project.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'example.googleapis.com',
            metadata: { quota_limit: 'ReadsPerMinute' },
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' },
        ],
      },
    }),
  },
  {
    name: 'problem (RFC 9457)',
    status: 403,
    headers: { ...JSON_HEADERS, 'content-type': 'application/problem+json' },
    text: body({
      type: 'https://example.com/probs/out-of-credit',
      title: 'Not enough credit.',
      status: 403,
      detail: 'This call costs 50; 30 are left.',
      instance: '/account/12345/msgs/abc',
    }),
  },
  {
    name: 'stripe',
    status: 402,
    headers: { ...JSON_HEADERS, 'request-id': 'req_abc123' },
    text: body({
      error: {
        type: 'card_error',
        code: 'card_declined',
        message: 'The card was declined.',
        param: 'source',
        doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      },
    }),
  },
  {
    name: 'github',
    status: 404,
    headers: { ...JSON_HEADERS, 'x-github-request-id': 'C0DE:1234:5678:9ABC:DEF0' },
    text: body({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }),
  },
  {
    name: 'aws (JSON 1.1 __type)',
    status: 400,
    headers: { ...JSON_HEADERS, 'x-amzn-requestid': 'b4f1a2c3-0000-4000-8000-000000000000' },
    text: body({
      __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
      message: 'No such table.',
    }),
  },
  {
    name: 'azure',
    status: 404,
    headers: { ...JSON_HEADERS, 'x-ms-request-id': 'az-1', 'x-ms-error-code': 'ResourceNotFound' },
    text: body({
      error: { code: 'ResourceNotFound', message: 'The resource is not there.', target: 'widget' },
    }),
  },
  {
    name: 'openai',
    status: 429,
    headers: {
      ...JSON_HEADERS,
      'x-request-id': 'req_oa1',
      'retry-after-ms': '820',
      'x-should-retry': 'true',
    },
    text: body({
      error: {
        message: 'Requests per minute reached.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    }),
  },
];

const SEEDS: readonly Case[] = SEED_VECTORS.filter((v) => v.decoded !== undefined).map((v) => ({
  name: `seed ${v.seed} ${v.name}`,
  status: v.status,
  headers: {
    ...JSON_HEADERS,
    'x-correlation-id': 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
    ...Object.fromEntries(Object.entries(v.headers ?? {}).map(([k, val]) => [k.toLowerCase(), val])),
  },
  // Compact, as a server sends it: whitespace would only make JSON.parse (the baseline) slower.
  text: JSON.stringify(JSON.parse(v.text)),
}));

const CASES = [...SEEDS, ...ECOSYSTEMS];
const BATCH = 5000;
const ROUNDS = 9;
let sink = 0;

/** CPU time of this process in ms: time the scheduler gave other processes is not counted. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function parseBatch(c: Case): number {
  const start = cpuMs();
  for (let i = 0; i < BATCH; i++) sink += JSON.parse(c.text) === null ? 0 : 1;
  return cpuMs() - start;
}

/**
 * What a client reads of every decoded error, folded into the sink so none of it can be
 * skipped: the shape, code, message, request id, link, delay, the server's retry verdict
 * (`decideRetry` reads it) and status. (`fields`, computed on first read, is left out:
 * clients rarely read it.)
 */
function consume(decoded: DecodedError | undefined): number {
  if (decoded === undefined) return 0;
  return (
    decoded.status +
    decoded.format.length +
    decoded.message.length +
    (decoded.code?.length ?? 0) +
    (decoded.requestId?.length ?? 0) +
    (decoded.link?.length ?? 0) +
    (decoded.retryAfterMs ?? 0) +
    (decoded.shouldRetry === true ? 1 : 0)
  );
}

function decodeBatch(c: Case): number {
  const start = cpuMs();
  for (let i = 0; i < BATCH; i++)
    sink += consume(decodeAnyError({ status: c.status, headers: c.headers, body: c.text }));
  return cpuMs() - start;
}

/** Header names the floor reads (as a decoder must: the content type, the delay, a request id). */
const FLOOR_HEADERS: Readonly<Record<string, number>> = {
  'content-type': 0,
  'retry-after': 1,
  'x-correlation-id': 2,
  'x-request-id': 3,
};

/**
 * The least any decoder of text can do, for a floor row: parse, one pass over the headers, one
 * `for…in` pass reading four members, one result with DecodedError's eight fields — no shape
 * recognised, no header value parsed. What a decoder costs beyond this is its own.
 */
function floorDecode(c: Case): number {
  const parsed = JSON.parse(c.text) as Record<string, unknown>;
  const values: (string | undefined)[] = new Array(4);
  for (const name in c.headers) {
    const slot = FLOOR_HEADERS[name];
    if (slot !== undefined) values[slot] = c.headers[name];
  }
  let message: unknown;
  let code: unknown;
  let id: unknown;
  let error: unknown;
  for (const key in parsed) {
    if (key === 'message') message = parsed[key];
    else if (key === 'code') code = parsed[key];
    else if (key === 'error_id') id = parsed[key];
    else if (key === 'error') error = parsed[key];
  }
  const said = typeof message === 'string' ? message : typeof error === 'string' ? error : '';
  return consume({
    format: 'floor',
    status: c.status,
    code: typeof code === 'string' ? code : typeof id === 'string' ? id : undefined,
    message: said,
    requestId: values[2] ?? values[3],
    link: undefined,
    retryAfterMs: values[1] === undefined ? undefined : 0,
    shouldRetry: undefined,
    fields: {},
  });
}

function floorBatch(c: Case): number {
  const start = cpuMs();
  for (let i = 0; i < BATCH; i++) sink += floorDecode(c);
  return cpuMs() - start;
}

/**
 * The same decode with the headers as a fetch `Headers`: what faultline/client's
 * `decodeResponse` passes. One `Headers` per body, made once (a Response has its own anyway);
 * undici caches its sorted list between reads, which a fresh response has not built yet.
 */
const FETCH_HEADERS = new Map(CASES.map((c) => [c.name, new Headers(c.headers)]));

function decodeFetchBatch(c: Case): number {
  const headers = FETCH_HEADERS.get(c.name)!;
  const start = cpuMs();
  for (let i = 0; i < BATCH; i++)
    sink += consume(decodeAnyError({ status: c.status, headers, body: c.text }));
  return cpuMs() - start;
}

// Every case must decode to what its convention says; a benchmark of wrong answers is worthless.
for (const c of CASES) {
  if (!decodeAnyError({ status: c.status, headers: c.headers, body: c.text })?.message)
    throw new Error(`${c.name}: not decoded`);
}
// Warm-up: both sides reach optimised code on the whole mix (the decoder sees every shape, as a real client does).
for (let i = 0; i < 5; i++)
  for (const c of CASES) parseBatch(c) + decodeBatch(c) + decodeFetchBatch(c) + floorBatch(c);

const perCase = new Map<string, { parse: number[]; decode: number[] }>(
  CASES.map((c) => [c.name, { parse: [], decode: [] }]),
);
const mixRatios: number[] = [];
const mixParse: number[] = [];
const mixDecode: number[] = [];
const fetchRatios: number[] = [];
const mixFetch: number[] = [];
const floorRatios: number[] = [];
const mixFloor: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let parseTotal = 0;
  let decodeTotal = 0;
  let fetchTotal = 0;
  let floorTotal = 0;
  for (let k = 0; k < CASES.length; k++) {
    const c = CASES[(k + round) % CASES.length]!;
    // Alternate which side runs first, so neither always benefits from a warm cache.
    const [p, d] = round % 2 === 0 ? [parseBatch(c), decodeBatch(c)] : [0, decodeBatch(c)];
    const parse = round % 2 === 0 ? p : parseBatch(c);
    perCase.get(c.name)!.parse.push(parse);
    perCase.get(c.name)!.decode.push(d);
    parseTotal += parse;
    decodeTotal += d;
    fetchTotal += decodeFetchBatch(c);
    floorTotal += floorBatch(c);
  }
  floorRatios.push(floorTotal / parseTotal);
  mixFloor.push(floorTotal);
  fetchRatios.push(fetchTotal / parseTotal);
  mixFetch.push(fetchTotal);
  mixRatios.push(decodeTotal / parseTotal);
  mixParse.push(parseTotal);
  mixDecode.push(decodeTotal);
}

const nsPerOp = (ms: number) => (ms * 1e6) / BATCH;
const figures: Figure[] = [];
const mixBase = { name: 'JSON.parse', value: nsPerOp(median(mixParse) / CASES.length) };
figures.push({
  name: `JSON.parse, mix of ${CASES.length} error bodies`,
  value: mixBase.value,
  unit: 'ns/body',
});
figures.push(
  compare(
    'floor: parse + one header pass + one member pass + a result, same mix',
    nsPerOp(median(mixFloor) / CASES.length),
    'ns/body',
    mixBase,
    undefined,
    { ratio: median(floorRatios), higherIsBetter: false },
  ),
);
figures.push(
  compare(
    'decodeAnyError(text), same mix',
    nsPerOp(median(mixDecode) / CASES.length),
    'ns/body',
    mixBase,
    1.2,
    {
      ratio: median(mixRatios),
      higherIsBetter: false,
    },
  ),
);
figures.push(
  compare(
    'decodeAnyError(text) with fetch Headers (as faultline/client passes them), same mix',
    nsPerOp(median(mixFetch) / CASES.length),
    'ns/body',
    mixBase,
    undefined,
    { ratio: median(fetchRatios), higherIsBetter: false },
  ),
);
const notes: string[] = [];
let worst = { name: '', ratio: 0 };
for (const c of CASES) {
  const { parse, decode } = perCase.get(c.name)!;
  const ratio = median(decode.map((d, i) => d / parse[i]!));
  if (ratio > worst.ratio) worst = { name: c.name, ratio };
  notes.push(
    `${c.name} (${c.text.length} B): JSON.parse ${nsPerOp(median(parse)).toFixed(0)} ns, decodeAnyError ${nsPerOp(median(decode)).toFixed(0)} ns, ${ratio.toFixed(2)}×`,
  );
}
notes.unshift(`slowest relative to its parse: ${worst.name}, ${worst.ratio.toFixed(2)}×`);
notes.push(`work sink: ${sink > 0 ? 'consumed' : 'EMPTY (benchmark broken)'}`);
emit({
  id: 'decode',
  title: '5. decode — decodeAnyError (every shape) on an error body vs JSON.parse of the same bytes',
  method: `${CASES.length} bodies (${SEEDS.length} seed examples + ${ECOSYSTEMS.length} ecosystem conventions), compact JSON with realistic headers (plain record); CPU time (process.cpuUsage, robust to a loaded machine) of ${BATCH}-op batches, ${ROUNDS} rounds in rotating order, both sides paired per body; ratio = median over rounds of (decode time / parse time) over the whole mix; per-body ratios in the notes. Each decode's format, code, message, requestId, link, retryAfterMs, shouldRetry and status go into the work sink (what a client reads; fields, computed on first read, are not). A floor row (no target: informative): JSON.parse, one pass over the headers for four names, one for…in pass reading four members and a result with DecodedError's fields, recognising no shape — what any decoder of text pays. Also the same decodes with the headers as a fetch Headers (no target: informative): exactly what faultline/client's decodeResponse does with an error response's text.`,
  figures,
  notes,
});
