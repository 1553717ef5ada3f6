import { frameworkCatalog } from 'faultline/fastify';
import { signals } from './catalog.ts';

/**
 * What the page documents: the 37 signals entries, then the framework answers the service
 * leaves to faultline's built-ins (unknown route, wrong method, unreadable request), so the
 * `link` of every answer the server can give resolves to a section.
 */
export const documented = {
  name: signals.name,
  entries: [
    ...signals.entries,
    ...frameworkCatalog.entries.filter((e) =>
      ['not_found', 'method_not_allowed', 'bad_request'].includes(e.id),
    ),
  ],
};
