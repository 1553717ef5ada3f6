import { defineCatalog } from '../../src/catalog/index.ts';

/** A small catalog of our own for the adapter tests: one entry per behaviour under test. */
export const testCatalog = defineCatalog({
  name: 'conformance',
  docsBase: 'https://docs.test/errors',
  entries: {
    widget_missing: {
      title: 'Widget Missing',
      status: 404,
      category: 'Widgets',
      message: 'Widget {id} does not exist.',
      fix: ['List widgets to find a valid id.'],
    },
    slow_down: {
      title: 'Slow Down',
      status: 429,
      category: 'Limits',
      message: 'Too many widget requests.',
      fix: ['Wait for the delay in Retry-After.'],
      retryable: true,
      retryAfterSeconds: 7,
      fields: ['reset_time'],
    },
    upstream_busy: {
      title: 'Upstream Busy',
      status: 503,
      category: 'Server',
      message: 'The widget store is busy.',
      fix: ['Retry after the delay in Retry-After.'],
      retryable: true,
      retryAfterSeconds: 3,
    },
  },
});

/** A catalog that redefines a built-in framework id: its entry must replace the built-in one. */
export const overridingCatalog = defineCatalog({
  name: 'overriding',
  docsBase: 'https://docs.test/own',
  entries: {
    not_found: {
      title: 'No Such Endpoint',
      status: 404,
      category: 'Routing',
      message: 'Nothing lives at this address.',
      fix: ['Read the endpoint list.'],
    },
  },
});

/** The secret text of the deliberate bug: it must reach the log and never the body. */
export const SECRET = 'db password is hunter2';
/** Text of the bug's cause. */
export const SECRET_CAUSE = 'ECONNREFUSED 10.0.0.5:5432';
/** Body limit, in bytes, of POST /widgets in every test app. */
export const BODY_LIMIT = 1024;
