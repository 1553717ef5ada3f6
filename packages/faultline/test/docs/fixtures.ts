import { defineCatalog } from '../../src/index.ts';

/** A small catalog with one entry of every kind the docs must show. */
export const demo = defineCatalog({
  name: 'Demo API',
  docsBase: 'https://docs.demo.test/errors',
  entries: {
    dm1001: {
      title: 'Internal Server Error',
      status: 500,
      category: 'General',
      message: 'Something failed on our side.',
      description: 'The request was understood but could not be completed.\n\nRetrying usually works.',
      fix: ['Retry with exponential backoff.', 'Contact support with the `correlation_id` if it persists.'],
      retryable: true,
    },
    dm2005: {
      title: 'Missing Key Secret',
      status: 400,
      category: 'Authentication',
      message: 'The request body has no `key_secret`.',
      fix: ['Send `key_secret` in the JSON body.'],
    },
    dm2006: {
      title: 'Invalid Credentials',
      status: 401,
      category: 'Authentication',
      message: 'The key id or secret is wrong.',
      fix: ['Check both halves of the key.'],
    },
    dm2007: {
      title: 'Old Credentials Error',
      status: 401,
      category: 'Authentication',
      message: 'Credentials are no longer accepted.',
      fix: ['Use the new key format.'],
      deprecated: { replacedBy: 'dm2006', reason: 'Merged into `dm2006`.' },
    },
    dm3004: {
      title: 'Daily Quota Exceeded',
      status: 429,
      category: 'Limits',
      message: 'The daily quota of {limit} minutes is used up.',
      fix: ['Wait until `reset_time`.'],
      retryable: true,
      retryAfterSeconds: 3600,
      fields: ['reset_time'],
    },
    dm4005: {
      title: 'Invalid Parameter',
      status: 400,
      category: 'Input',
      message: 'Parameter {name} is invalid: {reason}.',
      fix: ['Correct the named parameter.'],
    },
    dm6001: {
      title: 'Invalid Message Format',
      category: 'Streaming',
      message: 'A text frame was not valid JSON.',
      fix: ['Send JSON text frames.'],
    },
    dm6002: {
      title: 'Message Too Large',
      category: 'Streaming',
      message: 'A binary message exceeded {max_bytes} bytes.',
      fix: ['Send smaller segments.'],
      closeCode: 1009,
    },
  },
});

/** Catalog text that tries every way out of its box: tags, attributes, script, markdown. */
export const evil = defineCatalog({
  name: 'Evil <script>alert("name")</script>',
  entries: {
    ev1: {
      title: '<img src=x onerror="window.__pwned=1">',
      status: 400,
      category: '"><svg onload="window.__pwned=2">',
      message: '</code></pre><script>window.__pwned=3</script>',
      description:
        "' onmouseover='window.__pwned=4' \n\n# Heading injection\n<iframe src=javascript:alert(1)>",
      fix: ['`</code><script>window.__pwned=5</script>`', '[click](javascript:alert(1)) *bold* <b>tag</b>'],
      slug: 'ev1"><script>window.__pwned=6</script>',
    },
    ev2: {
      title: 'Safe Entry',
      status: 400,
      category: 'Plain',
      message: 'Plain message with ``` three backticks ``` inside.',
      fix: ['Do the thing.'],
      deprecated: { replacedBy: 'ev1', reason: '<em>gone</em>' },
    },
  },
});
