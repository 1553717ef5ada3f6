import type { Catalog } from '../../catalog/define.ts';
import type { WireFormat } from '../../formats/types.ts';
import type { ProducedHook } from '../../testing/hook.ts';
import type { FaultMap } from './faults.ts';

/**
 * Options every server adapter takes.
 * @example const options: FaultlineOptions = { catalog: api, format: structured, docsBase: 'https://api.example/errors' };
 */
export interface FaultlineOptions<Req = unknown> {
  /** The app's catalog: default docs base, and entries that replace the built-in framework ones by id. */
  readonly catalog: Catalog;
  /** Wire format of every error body (`structured`, `transition(…)`, …). */
  readonly format: WireFormat;
  /** Base URL of the docs page for `link`; defaults to the catalog's. */
  readonly docsBase?: string;
  /** Clock in ms, for formats that depend on time (transition sunsets, timestamps). */
  readonly now?: () => number;
  /** Overrides of the framework-fault table. */
  readonly faults?: Partial<FaultMap<Req>>;
  /** Where sent error ids are reported; defaults to the hook `faultline/testing` installs; `false` turns it off. */
  readonly coverage?: ProducedHook | false;
}
