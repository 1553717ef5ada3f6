import { frameworkCatalog } from 'faultline/fastify';
import { signals } from './catalog.ts';

/**
 * Framework entries the service answers with (faultline's built-ins, not signals errors):
 * unknown route, wrong method, unreadable request, a JSON body over its limit, a request that
 * never finished arriving, an unmet `Expect`, oversized headers. The other built-ins are
 * replaced by signals entries in app.ts (invalid JSON → ih4006, validation → ih4005, …).
 */
const FRAMEWORK_ANSWERS = [
  'not_found',
  'method_not_allowed',
  'bad_request',
  'payload_too_large',
  'request_timeout',
  'expectation_failed',
  'headers_too_large',
];

/**
 * What the docs page and OpenAPI document: the 37 signals entries, and apart from them, as
 * the framework's, the built-in answers above, so the `link` of every answer the server can
 * give resolves to a section.
 * @example documented.entries.length // 37
 */
export const documented = {
  name: signals.name,
  entries: signals.entries,
  builtins: frameworkCatalog.entries.filter((e) => FRAMEWORK_ANSWERS.includes(e.id)),
};
