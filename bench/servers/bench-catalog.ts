import { defineCatalog, structured, transition } from 'faultline';
import { DEPRECATED_SINCE, DOCS_BASE, LEGACY_UNTIL } from './bodies.ts';

/**
 * The catalog of the error-path scenarios: what an app defines once. Its answers must equal the
 * hand-written ones in `bodies.ts` (the harness compares them before measuring).
 * @example throw bench.error('e4001');
 */
export const bench = defineCatalog({
  name: 'bench',
  docsBase: DOCS_BASE,
  entries: {
    e4001: {
      title: 'Invalid Request',
      status: 400,
      category: 'Input',
      message: 'The request is not valid. Compare its parameters with the API reference.',
      fix: ['Check every parameter against the API reference.'],
    },
    e4005: {
      title: 'Invalid Parameter',
      status: 400,
      category: 'Input',
      message: 'The parameter "{name}" is not valid: {reason}.',
      fix: ['Send one of the documented values.'],
    },
    e5001: {
      title: 'Upstream Failed',
      status: 500,
      category: 'Server',
      message: 'Something went wrong on our side. Quote the correlation id if you contact support.',
      fix: ['Retry after the delay in Retry-After.'],
      retryable: true,
      retryAfterSeconds: 1,
    },
  },
});

/** The two formats measured: the canonical shape, and the migration shape before its sunset. */
export const formats = {
  structured,
  transition: transition({ legacyUntil: LEGACY_UNTIL, deprecatedSince: DEPRECATED_SINCE }),
} as const;
