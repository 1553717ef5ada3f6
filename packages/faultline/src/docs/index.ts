/**
 * faultline/docs: the catalog as an HTML page, a Markdown file and OpenAPI 3.1 components.
 * Every entry's section id is its slug, so the `link` of an error response lands on it.
 */
export { escapeHtml } from './escape.ts';
export { FORMAT_SCHEMAS, type FormatSchema, formatSchemaFor, type JsonSchema } from './format-schemas.ts';
export { renderHtml } from './html.ts';
export { renderMarkdown } from './markdown.ts';
export { buildPage, type CatalogLike, type DocsOptions, retryText } from './model.ts';
export { type OpenApiDocument, type OpenApiOptions, openapi } from './openapi.ts';
export { SAMPLE_CORRELATION_ID, sampleEncoded, sampleError } from './sample.ts';
