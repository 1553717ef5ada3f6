import { kebab } from '../catalog/slug.ts';
import type { Entry } from '../catalog/types.ts';
import { statusLine } from '../formats/reason.ts';
import type { WireFormat } from '../formats/types.ts';
import { closeCodeLine } from './close-codes.ts';
import { currentShape } from './format-schemas.ts';
import { sampleEncoded } from './sample.ts';
import { wsExample } from './ws-example.ts';

/**
 * What `renderHtml` and `renderMarkdown` accept: a `Catalog`, or anything with entries.
 * @example renderHtml({ name: 'demo', entries: [normaliseEntry('e1', def)] }, { format: structured })
 */
export interface CatalogLike {
  readonly name?: string;
  readonly docsBase?: string | undefined;
  readonly entries: readonly Entry[];
  /**
   * Entries the server framework answers with on its own (faultline's built-ins: unknown
   * route, unreadable request…). Documented apart, in a last section of their own, and not
   * counted among the catalog's errors.
   */
  readonly builtins?: readonly Entry[] | undefined;
}

/**
 * Name of the section that lists `CatalogLike.builtins`.
 * @example buildPage(catalog, options).categories.at(-1)?.name === BUILTINS_SECTION
 */
export const BUILTINS_SECTION = 'Framework answers';

/**
 * Options shared by the HTML and Markdown pages.
 * @example const options: DocsOptions = { format: structured, docsBase: 'https://api.example/docs/errors', title: 'API errors' };
 */
export interface DocsOptions {
  /** Wire format of the example bodies (the one the API answers in). */
  readonly format: WireFormat;
  /** Base URL of the page itself, used in example `link`s; defaults to the catalog's. */
  readonly docsBase?: string | undefined;
  /** Page title; defaults to `<catalog name> errors`. */
  readonly title?: string | undefined;
  /** Clock for formats whose bodies depend on time (transition, timestamps). */
  readonly now?: (() => number) | undefined;
}

/**
 * One labelled fact of an entry, as plain catalog-style text (backticks mark code).
 * @example { label: 'HTTP status', value: '400 Bad Request' }
 */
export interface Fact {
  readonly label: string;
  readonly value: string;
}

/**
 * An entry ready to render: both pages show exactly these pieces, in this order.
 * @example buildPage(catalog, { format: structured }).categories[0]?.entries[0]?.facts
 */
export interface EntryView {
  readonly entry: Entry;
  /** `<id> — <title>`: the heading text on both pages. */
  readonly heading: string;
  /** Lower-case text the search box matches against. */
  readonly searchText: string;
  readonly facts: readonly Fact[];
  readonly deprecation:
    | { readonly replacedBy?: { readonly id: string; readonly slug?: string }; readonly reason?: string }
    | undefined;
  readonly paragraphs: readonly string[];
  readonly example: { readonly label: string; readonly text: string; readonly language?: string };
}

/**
 * A category with its entries, in catalog order.
 * @example buildPage(catalog, { format: structured }).categories.map((c) => c.anchor) // ['category-general', …]
 */
export interface CategoryView {
  readonly name: string;
  readonly anchor: string;
  readonly entries: readonly EntryView[];
  /** True for the section of framework built-ins. */
  readonly builtin?: boolean;
}

/**
 * Everything a page shows.
 * @example buildPage(catalog, { format: structured }).count // 37
 */
export interface PageView {
  readonly title: string;
  /** The shape bodies have right now (a transition past its sunset is plain `structured`). */
  readonly formatName: string;
  /** When bodies still carry deprecated fields, the date they stop (a transition's sunset). */
  readonly sunset: string | undefined;
  readonly contentType: string;
  /** Entries of the catalog itself; framework built-ins are counted apart. */
  readonly count: number;
  readonly builtinCount: number;
  readonly categories: readonly CategoryView[];
}

/**
 * Builds the page model both renderers share, so the HTML page and the Markdown file can
 * never disagree on content or anchors.
 * @example buildPage(signals, { format: structured }).categories[0]?.entries[0]?.heading
 */
export function buildPage(catalog: CatalogLike, options: DocsOptions): PageView {
  const docsBase = options.docsBase ?? catalog.docsBase;
  const builtins = catalog.builtins ?? [];
  const all = [...catalog.entries, ...builtins];
  const byId = new Map(all.map((entry) => [entry.id, entry]));
  const groups = new Map<string, EntryView[]>();
  for (const entry of catalog.entries) {
    const view = entryView(entry, options.format, { docsBase, now: options.now }, byId);
    const list = groups.get(entry.category);
    if (list) list.push(view);
    else groups.set(entry.category, [view]);
  }
  const usedAnchors = new Set(all.map((entry) => entry.slug));
  const anchorFor = (name: string, index: number) => {
    let anchor = `category-${kebab(name) || index + 1}`;
    while (usedAnchors.has(anchor)) anchor += '-';
    usedAnchors.add(anchor);
    return anchor;
  };
  const categories = [...groups].map(
    ([name, entries], index): CategoryView => ({
      name: name || 'Other',
      anchor: anchorFor(name, index),
      entries,
    }),
  );
  if (builtins.length > 0)
    categories.push({
      name: BUILTINS_SECTION,
      anchor: anchorFor(BUILTINS_SECTION, categories.length),
      builtin: true,
      entries: builtins.map((entry) =>
        entryView(entry, options.format, { docsBase, now: options.now }, byId),
      ),
    });
  const current = currentShape(options.format, all, { docsBase, now: options.now });
  return {
    title: options.title ?? `${catalog.name ?? 'API'} errors`,
    formatName: current.name,
    sunset: current.sunset,
    contentType: options.format.contentType,
    count: catalog.entries.length,
    builtinCount: builtins.length,
    categories,
  };
}

function entryView(
  entry: Entry,
  format: WireFormat,
  context: { docsBase: string | undefined; now: (() => number) | undefined },
  byId: ReadonlyMap<string, Entry>,
): EntryView {
  const facts: Fact[] = [];
  if (entry.status !== undefined) facts.push({ label: 'HTTP status', value: statusLine(entry.status) });
  if (entry.closeCode !== undefined)
    facts.push({
      label: 'WebSocket close code',
      value: `${closeCodeLine(entry.closeCode)}: the session ends`,
    });
  if (entry.status === undefined && entry.closeCode === undefined)
    facts.push({ label: 'WebSocket', value: 'Sent as an error message on the session; no HTTP status' });
  facts.push({ label: 'Category', value: entry.category || 'Other' });
  facts.push({ label: 'Retryable', value: retryText(entry) });
  if (entry.params.length > 0)
    facts.push({ label: 'Message parameters', value: entry.params.map((p) => '`' + p + '`').join(', ') });
  if (entry.fields.length > 0)
    facts.push({ label: 'Extra body fields', value: entry.fields.map((f) => '`' + f + '`').join(', ') });

  const replacedBy = entry.deprecated?.replacedBy;
  const successor = replacedBy === undefined ? undefined : byId.get(replacedBy);
  const deprecation = entry.deprecated && {
    ...(replacedBy !== undefined && {
      replacedBy: successor ? { id: successor.id, slug: successor.slug } : { id: replacedBy },
    }),
    ...(entry.deprecated.reason !== undefined && { reason: entry.deprecated.reason }),
  };
  return {
    entry,
    heading: `${entry.id} — ${entry.title}`,
    searchText: `${entry.id} ${entry.title} ${entry.slug}`.toLowerCase(),
    facts,
    deprecation,
    paragraphs: [entry.message, ...(entry.description ?? '').split(/\n\s*\n/)]
      .map((text) => text.trim())
      .filter(Boolean),
    example: exampleOf(entry, format, context),
  };
}

/**
 * The page's opening sentences, as catalog-style text (backticks mark code): how many errors,
 * the body format in force now, and the framework answers listed apart.
 * @example leadText(buildPage(signals, { format: structured })) // '37 errors, grouped by category. …'
 */
export function leadText(page: PageView): string {
  const parts = [
    `${page.count} ${page.count === 1 ? 'error' : 'errors'}, grouped by category. ` +
      'Every error response carries a `link` to its entry here.',
    `Bodies use the \`${page.formatName}\` format (\`${page.contentType}\`).`,
  ];
  if (page.sunset !== undefined)
    parts.push(
      `Until ${page.sunset} they also carry the deprecated fields of the legacy shape; after that date they no longer do.`,
    );
  if (page.builtinCount > 0)
    parts.push(
      `The last section, ${BUILTINS_SECTION}, lists apart the ${page.builtinCount} ${page.builtinCount === 1 ? 'answer' : 'answers'} the server framework gives on its own (not catalog errors of this API).`,
    );
  return parts.join(' ');
}

/**
 * Retry semantics in words: what a client should do when it meets this error.
 * @example retryText(entry) // 'Yes: wait the Retry-After delay (60 s by default), then repeat the request'
 */
export function retryText(entry: Entry): string {
  if (!entry.retryable) return 'No: the same request fails the same way; change it before sending it again';
  if (entry.retryAfterSeconds !== undefined)
    return `Yes: wait the Retry-After delay (${entry.retryAfterSeconds} s by default), then repeat the request`;
  return 'Yes: repeat the request with exponential backoff, honouring Retry-After when the response has one';
}

function exampleOf(
  entry: Entry,
  format: WireFormat,
  context: { docsBase: string | undefined; now: (() => number) | undefined },
): { label: string; text: string; language?: string } {
  // A WebSocket-only entry is a message and a close frame, not an HTTP body.
  if (entry.status === undefined) return wsExample(entry, context);
  const encoded = sampleEncoded(entry, format, context);
  const json = JSON.stringify(encoded.body, null, 2);
  const headers = { 'content-type': format.contentType, ...encoded.headers };
  const lines = [
    `HTTP/1.1 ${statusLine(encoded.status)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return { label: 'Example response', text: `${lines.join('\n')}\n\n${json}` };
}
