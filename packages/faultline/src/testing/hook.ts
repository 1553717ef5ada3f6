import { catalogNameOf } from '../catalog/define.ts';
import type { ApiError } from '../error/api-error.ts';

/**
 * Receives every error id a server adapter (or WebSocket helper) sends, with the name of the
 * catalog the entry comes from. Must not throw; it runs on the response path.
 * @example const hook: ProducedHook = (id, catalog) => seen.add(`${catalog}/${id}`);
 */
export type ProducedHook = (id: string, catalog: string) => void;

/** Name under which an entry made outside `defineCatalog` is reported. */
export const NO_CATALOG = '';

// One slot per process, shared by every copy of faultline loaded in it (Symbol.for), so a test
// setup that imports `faultline/testing` reaches the engine even when the app resolved another copy.
const SLOT = Symbol.for('faultline.producedHook');
type Slot = { [SLOT]?: ProducedHook };

/**
 * Sets (or, with `undefined`, clears) the process-wide hook; returns the one it replaced.
 * @example const previous = setProducedHook((id) => ids.push(id)); … setProducedHook(previous);
 */
export function setProducedHook(hook: ProducedHook | undefined): ProducedHook | undefined {
  const slot = globalThis as Slot;
  const previous = slot[SLOT];
  if (hook === undefined) delete slot[SLOT];
  else slot[SLOT] = hook;
  return previous;
}

/**
 * Internal, called by the engine for every rendered error: passes it to the adapter's own hook,
 * else to the process-wide one. Without either it costs one property read; it imports nothing
 * from Node, so `faultline/fetch` stays loadable on workers, Bun and Deno.
 * @example reportProduced(error, options.coverage);
 */
export function reportProduced(error: ApiError, hook?: ProducedHook): void {
  const target = hook ?? (globalThis as Slot)[SLOT];
  if (target === undefined) return;
  try {
    target(error.id, catalogNameOf(error.entry) ?? NO_CATALOG);
  } catch {
    // Coverage must never break a response.
  }
}
