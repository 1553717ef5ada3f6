import { openapi } from '../docs/openapi.ts';
import { type Command, EXIT, UsageError } from './io.ts';
import { catalogFor } from './load.ts';
import { writeOutput } from './output.ts';
import { RENDER_OPTIONS, renderSettings, stringOption } from './render-options.ts';

/**
 * `faultline openapi`: OpenAPI 3.1 components for the catalog, as JSON.
 * @example faultline openapi --out openapi/errors.json
 */
export const openapiCommand: Command = {
  name: 'openapi',
  summary: 'write OpenAPI 3.1 components: a schema per error, a response per status',
  args: '',
  description:
    'Prints an OpenAPI 3.1 document whose components hold a schema per wire format, a schema\n' +
    'per error (its id as a const) and a response per HTTP status (Error400, …) that is oneOf\n' +
    'its errors. Reference them from your own paths.',
  options: {
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write to FILE instead of stdout' },
    title: { type: 'string', value: 'TEXT', help: 'info.title (default: "<catalog name> errors")' },
    version: { type: 'string', value: 'VERSION', help: 'info.version (default: 1.0.0)' },
    ...RENDER_OPTIONS,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new UsageError(`openapi takes no arguments, got "${positionals[0]}"`, 'openapi');
    const { catalog, config } = await catalogFor(stringOption(values, 'catalog'), io);
    const { format, docsBase } = renderSettings(values, config, catalog);
    const doc = openapi(catalog, {
      format,
      docsBase,
      title: stringOption(values, 'title'),
      version: stringOption(values, 'version'),
    });
    writeOutput(`${JSON.stringify(doc, null, 2)}\n`, stringOption(values, 'out'), io, 'OpenAPI components');
    return EXIT.ok;
  },
};
