import { decodeError } from 'faultline';
import { SEED_VECTORS } from '/work/wt/i13-client/packages/faultline/test/formats/fixtures/seed-vectors.ts';
const H = { 'content-type': 'application/json; charset=utf-8', date: 'x', connection: 'keep-alive', 'x-correlation-id': 'f47' };
const cases = SEED_VECTORS.filter((v) => v.decoded).map((v) => ({ status: v.status, text: JSON.stringify(JSON.parse(v.text)) }));
let sink = 0;
for (let k = 0; k < 4; k++) {
let t = performance.now();
for (let r = 0; r < 10000; r++) for (const c of cases) sink += JSON.parse(c.text) ? 1 : 0;
const p = performance.now() - t;
t = performance.now();
for (let r = 0; r < 10000; r++) for (const c of cases) sink += decodeError({ status: c.status, body: c.text, headers: H }) ? 1 : 0;
const d = performance.now() - t;
console.log(p.toFixed(0), d.toFixed(0), (d / p).toFixed(2));
}
