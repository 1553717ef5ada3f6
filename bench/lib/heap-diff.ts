/**
 * What a number of connections added to a heap: compares two V8 heap snapshots (before and
 * after opening `count` connections) by node type and constructor/name, and prints the objects
 * and bytes each connection added, largest first. Shallow sizes: load-independent, unlike RSS.
 * `node bench/lib/heap-diff.ts before.heapsnapshot after.heapsnapshot 2000 [rows]`; with
 * `--allocations profile.heapprofile 2000 [rows]`, what was allocated per connection, by function.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Count and shallow bytes per `type:name` (strings and code grouped by type only). */
export function groups(path: string): Map<string, { count: number; bytes: number }> {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const types = data.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < data.nodes.length; i += width) {
    const type = types[data.nodes[i + typeAt]!]!;
    const named = type === 'object' || type === 'closure' || type === 'native' || type === 'hidden';
    const name = named ? `${type}:${data.strings[data.nodes[i + nameAt]!]!.slice(0, 60)}` : type;
    const group = out.get(name) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += data.nodes[i + sizeAt]!;
    out.set(name, group);
  }
  return out;
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Bytes allocated per function (`name url:line`) in a sampled heap profile, garbage included. */
export function allocations(path: string): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(apps|packages)\//, '$1/')}:${lineNumber + 1}`;
    out.set(key, (out.get(key) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child);
  };
  visit((JSON.parse(readFileSync(path, 'utf8')) as { head: ProfileNode }).head);
  return out;
}

if (import.meta.main && process.argv[2] === '--allocations') {
  const [, path, countText, rowsText] = process.argv.slice(2);
  if (!path || !countText) throw new Error('usage: heap-diff.ts --allocations profile count [rows]');
  const rows = [...allocations(path)].sort((x, y) => y[1] - x[1]);
  const total = rows.reduce((sum, [, bytes]) => sum + bytes, 0);
  const count = Number(countText);
  console.log(`allocated per connection (sampled, garbage included): ${(total / count).toFixed(0)} bytes`);
  for (const [name, bytes] of rows.slice(0, Number(rowsText ?? 40)))
    console.log(`${(bytes / count).toFixed(0).padStart(7)} B  ${name}`);
} else if (import.meta.main) {
  const [before, after, countText, rowsText] = process.argv.slice(2);
  if (!before || !after || !countText) throw new Error('usage: heap-diff.ts before after count [rows]');
  const count = Number(countText);
  const a = groups(before);
  const b = groups(after);
  const rows = [...b]
    .map(([name, g]) => {
      const base = a.get(name) ?? { count: 0, bytes: 0 };
      return { name, objects: (g.count - base.count) / count, bytes: (g.bytes - base.bytes) / count };
    })
    .sort((x, y) => y.bytes - x.bytes);
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  console.log(`per connection: ${total.toFixed(0)} bytes of heap objects (shallow)`);
  for (const r of rows.slice(0, Number(rowsText ?? 40)))
    console.log(`${r.bytes.toFixed(1).padStart(8)} B  ${r.objects.toFixed(2).padStart(6)} ×  ${r.name}`);
}
