import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown } from '../../src/docs/index.ts';
import { buildPage } from '../../src/docs/model.ts';
import { SAMPLE_CORRELATION_ID } from '../../src/docs/sample.ts';
import { legacy, problem, structured, transition } from '../../src/formats/index.ts';
import { demo, evil } from './fixtures.ts';

const html = renderHtml(demo, { format: structured });
const markdown = renderMarkdown(demo, { format: structured });

/** The HTML of one entry's section. */
function sectionOf(page: string, slug: string): string {
  const start = page.indexOf(`<section class="entry" id="${slug}"`);
  expect(start, `section ${slug}`).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</section>', start));
}

/** The Markdown of one entry, from its anchor to the next anchor. */
function markdownOf(page: string, slug: string): string {
  const start = page.indexOf(`<a id="${slug}"></a>`);
  expect(start, `anchor ${slug}`).toBeGreaterThan(-1);
  const next = page.indexOf('<a id=', start + 1);
  return page.slice(start, next === -1 ? undefined : next);
}

describe('renderHtml', () => {
  it('has one section per entry, its id the slug, in catalog order grouped by category', () => {
    const ids = [...html.matchAll(/<section class="entry" id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(demo.entries.map((e) => e.slug));
    const categories = [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(categories).toEqual(['General', 'Authentication', 'Limits', 'Input', 'Streaming']);
    expect(html).toContain('<section class="entry" id="dm2005-missing-key-secret"');
  });

  it('shows id, title, status, retry semantics, fixes and a decodable example body', () => {
    const quota = sectionOf(html, 'dm3004-daily-quota-exceeded');
    expect(quota).toContain('dm3004 — Daily Quota Exceeded');
    expect(quota).toContain('429 Too Many Requests');
    expect(quota).toContain('Yes: wait the Retry-After delay (3600 s by default)');
    expect(quota).toContain('<li>Wait until <code>reset_time</code>.</li>');
    expect(quota).toContain('retry-after: 3600');
    const example = quota.slice(quota.indexOf('<pre><code>'));
    const json = example.slice(example.indexOf('{'), example.lastIndexOf('}') + 1).replaceAll('&quot;', '"');
    const body = JSON.parse(json);
    expect(body).toEqual({
      error_id: 'dm3004',
      correlation_id: SAMPLE_CORRELATION_ID,
      link: 'https://docs.demo.test/errors#dm3004-daily-quota-exceeded',
      message: 'The daily quota of &lt;limit&gt; minutes is used up.',
      reset_time: '&lt;reset_time&gt;',
    });
    expect(structured.decode({ status: 429, body })?.code).toBe('dm3004');

    const secret = sectionOf(html, 'dm2005-missing-key-secret');
    expect(secret).toContain('400 Bad Request');
    expect(secret).toContain('No: the same request fails the same way');
    const internal = sectionOf(html, 'dm1001-internal-server-error');
    expect(internal).toContain('Yes: repeat the request with exponential backoff');
    expect(internal).toContain('<p>Retrying usually works.</p>');
  });

  it('shows close codes for WebSocket-only entries, and no HTTP status line', () => {
    const large = sectionOf(html, 'dm6002-message-too-large');
    expect(large).toContain('WebSocket close code');
    expect(large).toContain('1009 (Message Too Big): the session ends');
    expect(large).not.toContain('HTTP/1.1');
    // A WebSocket entry's example is the message and the close frame that follows it.
    expect(large).toContain('Example WebSocket message');
    expect(large).toContain('&quot;type&quot;: &quot;error&quot;');
    expect(large).toContain(
      'closes the session: 1009 (Message Too Big), reason &quot;dm6002 Message Too Large&quot;',
    );
    expect(sectionOf(html, 'dm6001-invalid-message-format')).toContain('no HTTP status');
  });

  it('marks deprecations and links the successor', () => {
    const old = sectionOf(html, 'dm2007-old-credentials-error');
    expect(old).toContain(
      'Deprecated. Use <a href="#dm2006-invalid-credentials">dm2006</a> instead. Merged into <code>dm2006</code>.',
    );
  });

  it('is self-contained and complete without JavaScript', () => {
    expect(html).not.toMatch(/<link\b|\ssrc=|@import|\burl\(/);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
    // Search and copy buttons start hidden: the script reveals them, so no dead controls without it.
    expect(html).toMatch(/<form id="search" role="search" hidden>/);
    expect(html.match(/<button type="button" class="copy" data-slug="[^"]+" hidden>/g)).toHaveLength(
      demo.entries.length,
    );
    expect(html).toContain('section.entry:target');
    for (const entry of demo.entries) expect(html).toContain(`<a href="#${entry.slug}">`);
  });

  it('renders example bodies in the active format', () => {
    const page = renderHtml(demo, { format: problem, docsBase: 'https://other.test/e' });
    const section = sectionOf(page, 'dm2005-missing-key-secret');
    expect(section).toContain('content-type: application/problem+json');
    expect(section).toContain('&quot;type&quot;: &quot;https://other.test/e#dm2005-missing-key-secret&quot;');
    const legacyPage = renderHtml(demo, { format: legacy, title: 'Legacy errors' });
    expect(legacyPage).toContain('<title>Legacy errors</title>');
    expect(sectionOf(legacyPage, 'dm2005-missing-key-secret')).toContain('&quot;status_code&quot;: 400');
  });

  it('passes the clock to time-dependent formats', () => {
    const until = Date.parse('2026-03-20T00:00:00Z');
    const before = renderHtml(demo, { format: transition({ legacyUntil: until }), now: () => until - 1 });
    const after = renderHtml(demo, { format: transition({ legacyUntil: until }), now: () => until });
    expect(sectionOf(before, 'dm2005-missing-key-secret')).toContain('&quot;detail&quot;');
    expect(sectionOf(after, 'dm2005-missing-key-secret')).not.toContain('&quot;detail&quot;');
  });

  it('makes HTML injection from catalog text impossible', () => {
    const page = renderHtml(evil, { format: structured });
    expect(page.match(/<script/gi)).toHaveLength(1);
    expect(page).not.toMatch(/<(img|svg|iframe|em|b)\b/i);
    const tags = page.match(/<[a-z][^>]*>/g) ?? [];
    // Attribute names only (quoted values removed): none may be an event handler.
    for (const tag of tags) expect(tag.replace(/"[^"]*"/g, '""'), tag).not.toMatch(/\son[a-z]+=/i);
    expect(page).toContain('ev1 — &lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
    expect(page).toContain('id="ev1&quot;&gt;&lt;script&gt;window.__pwned=6&lt;/script&gt;"');
    expect(page).toContain('<title>Evil &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; errors</title>');
    // Every attribute value is quoted and free of raw quotes: count quotes per tag.
    for (const tag of tags) expect(tag.split('"').length % 2, tag).toBe(1);
  });
});

describe('renderMarkdown', () => {
  it('uses the same anchors as the HTML page', () => {
    const htmlIds = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]).filter((id) => id !== 'search');
    const mdIds = [...markdown.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]);
    expect(mdIds).toEqual(htmlIds.filter((id) => id !== 'q' && id !== 'no-match'));
    expect(mdIds).toContain('dm2005-missing-key-secret');
  });

  it('has the same content per entry', () => {
    const quota = markdownOf(markdown, 'dm3004-daily-quota-exceeded');
    expect(quota).toContain('### dm3004 — Daily Quota Exceeded');
    expect(quota).toContain('- **HTTP status:** 429 Too Many Requests');
    expect(quota).toContain('- **Retryable:** Yes: wait the Retry-After delay (3600 s by default)');
    expect(quota).toContain('1. Wait until `reset_time`.');
    expect(quota).toContain('```http\nHTTP/1.1 429 Too Many Requests');
    expect(quota).toContain('"reset_time": "<reset_time>"');
    const old = markdownOf(markdown, 'dm2007-old-credentials-error');
    expect(old).toContain('**Deprecated.** Use [dm2006](#dm2006-invalid-credentials) instead.');
    const large = markdownOf(markdown, 'dm6002-message-too-large');
    expect(large).toContain('1009 (Message Too Big): the session ends');
    expect(large).toContain('```text\n{\n  "type": "error",');
    expect(large).toContain('reason "dm6002 Message Too Large".');
    expect(markdown).toContain('- [Authentication](#category-authentication)');
    expect(markdown).toContain('  - [dm2005 — Missing Key Secret](#dm2005-missing-key-secret)');
  });

  it('keeps catalog text from becoming Markdown or HTML', () => {
    const page = renderMarkdown(evil, { format: structured });
    // Outside code blocks and our own anchors, no raw tag may appear.
    const prose = page
      .replace(/^(`{3,})[\s\S]*?^\1$/gm, '')
      .replace(/`[^`\n]*`/g, '')
      .replace(/<a id="[^"\n]*"><\/a>/g, '');
    expect(prose).not.toMatch(/(?<!\\)<[a-z/]/i);
    expect(prose).not.toMatch(/(?<!\\)\[click\]/);
    // A description line can't open a heading.
    expect(page).not.toMatch(/^# Heading injection/m);
    expect(page).toContain('\\# Heading injection');
    // The anchor id is attribute-escaped.
    expect(page).toContain('<a id="ev1&quot;&gt;&lt;script&gt;window.__pwned=6&lt;/script&gt;"></a>');
    // A body holding ``` gets a longer fence, so it can't close the block early.
    expect(page).toContain('````http\nHTTP/1.1 400 Bad Request');
  });
});

describe('buildPage', () => {
  it('keeps category anchors apart from entry slugs', () => {
    const page = buildPage(
      {
        name: 'x',
        entries: [{ ...demo.entries[0]!, category: 'X', slug: 'category-x' }],
      },
      { format: structured },
    );
    expect(page.categories[0]?.anchor).not.toBe('category-x');
  });
});
