export {
  type Catalog,
  type CatalogId,
  type CatalogOptions,
  defineCatalog,
  normaliseEntry,
} from './define.ts';
export { BREAKING_KINDS, type Change, type ChangeKind, diffCatalogs } from './diff.ts';
export { type LintIssue, lintCatalog } from './lint.ts';
export { kebab, renderTemplate, slugFor, templateParams } from './slug.ts';
export type { Entry, EntryDef, ErrorArgs, ErrorOptions, Json, ParamsOf, TemplateParams } from './types.ts';
