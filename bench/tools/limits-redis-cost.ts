/**
 * Both sides of a Redis limit check: runs variants of bench/servers/limits.ts one after the
 * other (rounds alternate the order) against a Redis of one's own (REDIS_URL, e.g. a private
 * `redis-server --port 6391 --save ''`), and prints per request: server CPU, redis-server CPU
 * (/proc/<pid>/stat, pid from INFO server — so Redis must run on this machine) and the Redis
 * commands run (INFO commandstats deltas, script-inner calls included).
 * `REDIS_URL=redis://127.0.0.1:6391 node bench/tools/limits-redis-cost.ts [rounds] [variant…]`
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startServer } from '../lib/child.ts';
import { load } from '../lib/load.ts';

const rounds = Number(process.argv[2] ?? 3);
const variants = process.argv.length > 3 ? process.argv.slice(3) : ['none', 'faultline-redis', 'rlf-redis'];
const SECONDS = Number(process.env['SECONDS_PER_RUN'] ?? 4);
const root = join(import.meta.dirname, '..', '..');
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl);
const pid = Number(/process_id:(\d+)/.exec(await redis.info('server'))![1]);
const tick = 1e6 / 100; // µs per clock tick (USER_HZ 100)

const redisCpu = (): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * tick;
};
const commandStats = async (): Promise<Map<string, { calls: number; usec: number }>> => {
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const m of (await redis.info('commandstats')).matchAll(/cmdstat_(\S+?):calls=(\d+),usec=(\d+)/g))
    stats.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  return stats;
};

const prefix = `cost:${randomBytes(4).toString('hex')}:`;
const results = new Map<string, { rps: number[]; server: number[]; redis: number[]; commands: string[] }>();
for (const v of variants) results.set(v, { rps: [], server: [], redis: [], commands: [] });
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? variants : [...variants].reverse();
  for (const v of order) {
    const server = await startServer(
      join(root, 'bench/servers/limits.ts'),
      [v, `${prefix}${round}:${v}:`],
      1,
    );
    const url = `http://127.0.0.1:${server.port}/limited`;
    await load({ url, seconds: 1, connections: 50, cpu: 0 });
    const [cpu0, redis0, stats0] = [await server.cpuMicros(), redisCpu(), await commandStats()];
    const r = await load({ url, seconds: SECONDS, connections: 50, cpu: 0 });
    const [cpu1, redis1, stats1] = [await server.cpuMicros(), redisCpu(), await commandStats()];
    await server.stop();
    const out = results.get(v)!;
    out.rps.push(r.requestsPerSecond);
    out.server.push((cpu1 - cpu0) / r.requests);
    out.redis.push((redis1 - redis0) / r.requests);
    const per: string[] = [];
    for (const [name, s] of stats1) {
      const calls = s.calls - (stats0.get(name)?.calls ?? 0);
      if (calls < r.requests / 100 || name === 'info') continue;
      const usec = s.usec - (stats0.get(name)?.usec ?? 0);
      per.push(`${name} ${(calls / r.requests).toFixed(3)}/req ${(usec / calls).toFixed(2)}µs/call`);
    }
    out.commands.push(per.join(', '));
    if (r.errors || r.non2xx) console.log(`${v}: errors ${r.errors} non2xx ${r.non2xx}`);
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (xs: number[], d = 1) => `${med(xs).toFixed(d)} [${xs.map((x) => x.toFixed(d)).join(' ')}]`;
for (const [v, r] of results) {
  console.log(`${v}: req/s ${f(r.rps, 0)}; server µs/req ${f(r.server)}; redis µs/req ${f(r.redis)}`);
  console.log(`  ${r.commands.at(-1)}`);
}
const keys = await redis.keys(`${prefix}*`);
for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
redis.disconnect();
