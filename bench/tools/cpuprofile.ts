/** The parts of a V8 .cpuprofile this reader uses. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self and inclusive time per function (label = `name file:line`), in µs per request. */
export interface Costs {
  readonly busyPerRequest: number;
  readonly self: Map<string, number>;
  readonly inclusive: Map<string, number>;
}

/**
 * Self and inclusive CPU time per function of a profile, divided by the requests it served.
 * Idle time is dropped; a function that recurses counts once per sample in `inclusive`.
 * @example costs(JSON.parse(readFileSync('x.cpuprofile', 'utf8')), 120_000)
 */
export function costs(profile: CpuProfile, requests: number): Costs {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const labels = new Map(profile.nodes.map((n) => [n.id, label(n.callFrame)]));
  const selfById = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfById.set(id, (selfById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (const [id, t] of selfById) {
    const own = labels.get(id)!;
    if (own.startsWith('(idle)')) continue;
    busy += t;
    self.set(own, (self.get(own) ?? 0) + t / requests);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = labels.get(cur)!;
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + t / requests);
    }
  }
  return { busyPerRequest: busy / requests, self, inclusive };
}

function label(f: CpuProfile['nodes'][number]['callFrame']): string {
  const file = f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/.*?\/(packages|bench|apps)\//, '');
  return `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`.trim();
}

/**
 * Text table of the largest entries of a cost map, in µs per request.
 * @example top(costs(profile, n).self, 20)
 */
export function top(
  map: Map<string, number>,
  count: number,
  filter: (label: string) => boolean = () => true,
): string {
  return [...map]
    .filter(([l]) => filter(l))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([l, t]) => `${t.toFixed(2).padStart(7)} µs  ${l}`)
    .join('\n');
}

/**
 * Where `a` spends more than `b`: per-function difference of self time, µs per request.
 * @example console.log(diff(costs(faultline, n1).self, costs(bare, n2).self, 25))
 */
export function diff(a: Map<string, number>, b: Map<string, number>, count: number): string {
  const keys = new Set([...a.keys(), ...b.keys()]);
  const rows = [...keys].map(
    (k) => [k, (a.get(k) ?? 0) - (b.get(k) ?? 0), a.get(k) ?? 0, b.get(k) ?? 0] as const,
  );
  return rows
    .sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]))
    .slice(0, count)
    .map(
      ([l, d, x, y]) =>
        `${(d >= 0 ? '+' : '') + d.toFixed(2).padStart(6)} µs  (${x.toFixed(2)} vs ${y.toFixed(2)})  ${l}`,
    )
    .join('\n');
}
