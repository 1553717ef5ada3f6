/**
 * faultline/docs: the catalog as an HTML page, a Markdown file and OpenAPI 3.1 components.
 * Every entry's section id is its slug, so the `link` of an error response lands on it.
 * @example
 * import { renderHtml } from 'faultline/docs';
 * const page = renderHtml(api, { format: structured, docsBase: 'https://api.example/docs/errors' });
 */
export { renderHtml } from './html.ts';
export { renderMarkdown } from './markdown.ts';
export type { CatalogLike, DocsOptions } from './model.ts';
export { type OpenApiDocument, type OpenApiOptions, openapi } from './openapi.ts';
