import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCatalog, type EntryDef } from '../../src/catalog/index.ts';
import { renderHtml } from '../../src/docs/index.ts';
import { structured } from '../../src/formats/index.ts';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts';
import { evil } from './fixtures.ts';

const RESULTS = fileURLToPath(new URL('../../../../test-results/', import.meta.url));

/** Enough entries that the one a link points at is far below the first screen. */
const defs: Record<string, EntryDef> = {};
const categories = ['General', 'Authentication', 'Limits', 'Input', 'Media'];
for (const [c, category] of categories.entries()) {
  for (let n = 1; n <= 8; n++) {
    defs[`bt${c + 1}${String(n).padStart(3, '0')}`] = {
      title: `${category} Problem ${n}`,
      status: 400 + n,
      category,
      message: `Something about ${category.toLowerCase()} went wrong (${n}).`,
      fix: [`Fix the ${category.toLowerCase()} part.`, 'Send the request again.'],
    };
  }
}
defs['bt3009'] = {
  title: 'Daily Quota Exceeded',
  status: 429,
  category: 'Limits',
  message: 'The daily quota is used up.',
  fix: ['Wait for `reset_time`.'],
  retryable: true,
  retryAfterSeconds: 60,
  fields: ['reset_time'],
};
const catalog = defineCatalog({ name: 'Browser test', entries: defs });

let server: Server;
let browser: Browser;
let pageUrl: string;
let evilUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const origin = `http://${req.headers.host}`;
    const html =
      req.url === '/docs/errors'
        ? renderHtml(catalog, { format: structured, docsBase: `${origin}/docs/errors` })
        : req.url === '/evil'
          ? renderHtml(evil, { format: structured, docsBase: `${origin}/evil` })
          : undefined;
    if (html === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  pageUrl = `http://127.0.0.1:${port}/docs/errors`;
  evilUrl = `http://127.0.0.1:${port}/evil`;
  browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

/** The `link` a client really gets in an error body served with this page as docs base. */
function linkOf(id: string, params?: Record<string, unknown>): string {
  const error = catalog.error(id as never, params as never);
  const body = structured.encode(error, { correlationId: crypto.randomUUID(), docsBase: pageUrl }).body;
  return body['link'] as string;
}

/** Where the element with this id is, and what the page says about it. */
function landing(id: string) {
  const target = document.getElementById(id);
  if (!target) return undefined;
  const rect = target.getBoundingClientRect();
  const other = document.querySelector(`section.entry:not([id="${CSS.escape(id)}"])`)!;
  return {
    hash: location.hash,
    heading: target.querySelector('h3')?.textContent,
    top: rect.top,
    bottom: rect.bottom,
    viewport: innerHeight,
    scrolled: scrollY,
    background: getComputedStyle(target).backgroundColor,
    otherBackground: getComputedStyle(other).backgroundColor,
  };
}

describe('docs page in Chromium', () => {
  it('lands on the entry an error link points at, highlighted', async () => {
    const entry = catalog.get('bt3009')!;
    const link = linkOf('bt3009', { reset_time: '2026-01-02T00:00:00Z' });
    expect(link).toBe(`${pageUrl}#bt3009-daily-quota-exceeded`);
    const page = await browser.newPage();
    await page.goto(link);
    const seen = await page.evaluate(landing, entry.slug);
    expect(seen).toBeDefined();
    expect(seen!.hash).toBe(`#${entry.slug}`);
    expect(seen!.heading).toBe(`${entry.id} — ${entry.title}`);
    expect(seen!.scrolled).toBeGreaterThan(0);
    expect(seen!.top).toBeGreaterThanOrEqual(0);
    expect(seen!.top).toBeLessThan(seen!.viewport / 2);
    // `:target` is visibly different from every other entry.
    expect(seen!.background).not.toBe(seen!.otherBackground);
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: `${RESULTS}docs-${entry.slug}.png` });
    await page.close();
  });

  it('filters entries as the search box is typed in', async () => {
    const page = await browser.newPage();
    await page.goto(pageUrl);
    const visible = () =>
      page.$$eval('section.entry', (all) => all.filter((s) => !(s as HTMLElement).hidden).map((s) => s.id));
    expect(await visible()).toHaveLength(catalog.entries.length);
    const search = page.locator('#q');
    await expect(search.isVisible()).resolves.toBe(true);

    await search.pressSequentially('quota');
    expect(await visible()).toEqual(['bt3009-daily-quota-exceeded']);
    await search.fill('');
    await search.pressSequentially('BT2');
    expect(await visible()).toHaveLength(8);
    expect((await visible()).every((id) => id.startsWith('bt2'))).toBe(true);
    // Whole categories without a match disappear, as do their contents entries.
    expect(await page.locator('.category:visible h2').allTextContents()).toEqual(['Authentication']);
    expect(await page.locator('nav.toc li[data-for]:visible').count()).toBe(8);

    await search.fill('media problem 7');
    expect(await visible()).toEqual(['bt5007-media-problem-7']);
    await search.fill('no such error');
    expect(await visible()).toEqual([]);
    await expect(page.locator('#no-match').isVisible()).resolves.toBe(true);
    await search.fill('');
    expect(await visible()).toHaveLength(catalog.entries.length);
    await page.close();
  });

  it('copies an entry link to the clipboard', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(pageUrl).origin,
    });
    const page = await context.newPage();
    await page.goto(pageUrl);
    const button = page.locator('section#bt1002-general-problem-2 button.copy');
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(linkOf('bt1002'));
    await context.close();
  });

  it('is readable and navigable with JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const entry = catalog.get('bt4005')!;
    await page.goto(linkOf('bt4005'));
    const seen = await page.evaluate(landing, entry.slug).catch(() => undefined);
    // evaluate works without page scripts; the browser itself scrolled to the fragment.
    expect(seen?.heading).toBe(`${entry.id} — ${entry.title}`);
    expect(seen!.top).toBeGreaterThanOrEqual(0);
    expect(seen!.top).toBeLessThan(seen!.viewport / 2);
    expect(await page.locator('#search').isVisible()).toBe(false);
    expect(await page.locator('button.copy:visible').count()).toBe(0);
    expect(await page.locator('section.entry:visible').count()).toBe(catalog.entries.length);
    await context.close();
  });

  it('runs nothing that catalog text tries to inject', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const slug = evil.get('ev1')!.slug;
    await page.goto(`${evilUrl}#${encodeURIComponent(slug)}`);
    const found = await page.evaluate((id) => {
      const target = document.getElementById(id);
      return {
        pwned: (window as { __pwned?: unknown }).__pwned,
        scripts: document.scripts.length,
        injected: document.querySelectorAll('img, svg, iframe, em, b').length,
        heading: target?.querySelector('h3')?.textContent,
        title: document.title,
      };
    }, slug);
    await page.locator('section.entry h3').first().hover();
    expect(dialogs).toEqual([]);
    expect(found).toEqual({
      pwned: undefined,
      scripts: 1,
      injected: 0,
      heading: 'ev1 — <img src=x onerror="window.__pwned=1">',
      title: 'Evil <script>alert("name")</script> errors',
    });
    await page.close();
  });
});
