import type { WireFormat } from '../formats/types.ts';
import type { OptionSpec } from './io.ts';
import type { Config, LoadedCatalog } from './load.ts';
import { wireFormat } from './wire.ts';

/**
 * Options of the commands that render example bodies: explain, docs, openapi.
 * @example options: { out: { type: 'string', value: 'FILE', help: 'output file' }, ...RENDER_OPTIONS }
 */
export const RENDER_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'wire-format': {
    type: 'string',
    value: 'NAME',
    help: 'wire format of example bodies (default: "faultline.format" in package.json, else structured)',
  },
  'legacy-until': {
    type: 'string',
    value: 'DATE',
    help: 'for --wire-format transition: when the legacy fields stop',
  },
  'docs-base': {
    type: 'string',
    value: 'URL',
    help: 'base URL of the docs page, for links (default: "faultline.docsBase", else the catalog\'s)',
  },
};

/**
 * Wire format and docs base from flags, config and catalog, in that order.
 * @example const { format, docsBase } = renderSettings(values, config, catalog);
 */
export function renderSettings(
  values: Record<string, string | boolean | undefined>,
  config: Config,
  catalog: LoadedCatalog,
): { format: WireFormat; docsBase: string | undefined } {
  const flag = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  return {
    format: wireFormat(flag('wire-format'), config, flag('legacy-until')),
    docsBase: flag('docs-base') ?? config.docsBase ?? catalog.docsBase,
  };
}

/**
 * A string option's value, or undefined.
 * @example stringOption(values, 'out') // 'errors.html' or undefined
 */
export function stringOption(
  values: Record<string, string | boolean | undefined>,
  name: string,
): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
