import * as formats from '../formats/index.ts';
import type { WireFormat } from '../formats/types.ts';
import { UsageError } from './io.ts';
import type { Config } from './load.ts';

/** Every exported format that encodes, by name: a format added to src/formats is usable here at once. */
function encoders(): Map<string, WireFormat> {
  const byName = new Map<string, WireFormat>();
  for (const value of Object.values(formats)) {
    const format = value as Partial<WireFormat> | null;
    if (
      typeof format === 'object' &&
      format !== null &&
      typeof format.name === 'string' &&
      typeof format.encode === 'function'
    )
      byName.set(format.name, format as WireFormat);
  }
  return byName;
}

/**
 * Names `--wire-format` accepts.
 * @example wireFormatNames() // ['envelope', 'flat', 'legacy', …, 'transition']
 */
export function wireFormatNames(): string[] {
  return [...encoders().keys(), 'transition'].sort();
}

/**
 * The wire format of example bodies and schemas: `--wire-format`, else the config's `format`,
 * else `structured`. `transition` needs the date its legacy fields stop.
 * @example wireFormat('transition', { legacyUntil: '2026-03-20T00:00:00Z' })
 */
export function wireFormat(flag: string | undefined, config: Config, legacyUntil?: string): WireFormat {
  const name = flag ?? config.format ?? 'structured';
  if (name === 'transition') {
    const until = legacyUntil ?? config.legacyUntil;
    const at = until === undefined ? Number.NaN : Date.parse(until);
    if (Number.isNaN(at))
      throw new UsageError(
        'the transition format needs the date the legacy fields stop: --legacy-until 2026-03-20T00:00:00Z (or "legacyUntil" in the config)',
      );
    return formats.transition({ legacyUntil: at });
  }
  const format = encoders().get(name);
  if (!format)
    throw new UsageError(`unknown wire format "${name}" (one of: ${wireFormatNames().join(', ')})`);
  return format;
}
