/**
 * The page's inline CSS and script. They are constants, never built from catalog text,
 * so nothing a catalog author writes can reach a `<style>` or `<script>` element.
 */

/**
 * Styles: readable defaults, a sticky search bar, and a visible `:target` entry.
 * @example `<style>${PAGE_CSS}</style>`
 */
export const PAGE_CSS = `
:root { color-scheme: light dark; --fg: #1d2329; --muted: #5b6670; --bg: #fff; --line: #d8dee4;
  --code: #f3f5f7; --accent: #0b5cad; --target: #fff4c2; --target-line: #e0a800; --warn: #9a3b00; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ec; --muted: #9aa5b1; --bg: #14181c; --line: #2c343c;
  --code: #1d2329; --accent: #6cb2ff; --target: #3a3212; --target-line: #f2c230; --warn: #ffb37a; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { scroll-padding-top: 4.5rem; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main, .bar-inner, footer { max-width: 60rem; margin: 0 auto; padding: 0 1.25rem; }
a { color: var(--accent); }
code, pre { font: 0.9em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: var(--code); padding: 0.05em 0.3em; border-radius: 4px; }
pre { background: var(--code); padding: 0.9rem 1rem; border-radius: 6px; overflow-x: auto; }
pre code { padding: 0; background: none; }
.bar { position: sticky; top: 0; z-index: 1; background: var(--bg); border-bottom: 1px solid var(--line); }
.bar-inner { display: flex; gap: 1rem; align-items: center; min-height: 3.5rem; }
.bar-inner strong { flex: 1; }
#search input { font: inherit; width: min(22rem, 50vw); padding: 0.35rem 0.6rem; border: 1px solid var(--line);
  border-radius: 6px; background: var(--bg); color: var(--fg); }
.lead { color: var(--muted); }
nav.toc ul { padding-left: 1.2rem; }
nav.toc li { margin: 0.1rem 0; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; }
section.entry { padding: 0.5rem 1rem 1rem; margin: 1rem -1rem; border-radius: 8px; border: 2px solid transparent; }
section.entry:target { background: var(--target); border-color: var(--target-line); }
section.entry .entry-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.2rem 0.8rem; }
section.entry h3 { margin: 0.6rem 0; }
section.entry h3 a { text-decoration: none; }
.copy { font: inherit; font-size: 0.8rem; padding: 0.1rem 0.5rem; border: 1px solid var(--line); border-radius: 5px;
  background: var(--bg); color: var(--muted); cursor: pointer; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.deprecated { color: var(--warn); font-weight: 600; }
footer { color: var(--muted); padding-bottom: 2rem; }
`;

/**
 * Enhancements only: the page is complete without them. Search filters entries by id,
 * title or slug; copy buttons put an entry's absolute link on the clipboard.
 * @example `<script>${PAGE_JS}</script>`
 */
export const PAGE_JS = `
(() => {
  const form = document.getElementById('search');
  const input = document.getElementById('q');
  const empty = document.getElementById('no-match');
  const entries = Array.from(document.querySelectorAll('section.entry'));
  const groups = Array.from(document.querySelectorAll('.category'));
  const tocLinks = Array.from(document.querySelectorAll('nav.toc li[data-for]'));
  form.hidden = false;
  const filter = () => {
    const terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    const shown = new Set();
    for (const entry of entries) {
      const hit = terms.every((term) => entry.dataset.search.includes(term));
      entry.hidden = !hit;
      if (hit) shown.add(entry.id);
    }
    for (const group of groups) group.hidden = !group.querySelector('section.entry:not([hidden])');
    for (const item of tocLinks) item.hidden = !shown.has(item.dataset.for);
    for (const list of document.querySelectorAll('nav.toc li.group'))
      list.hidden = !list.querySelector('li[data-for]:not([hidden])');
    empty.hidden = shown.size > 0;
  };
  // Matches start at the top of the page (the filtered contents list): bring the reader there.
  input.addEventListener('input', () => { filter(); if (scrollY > 0) scrollTo(0, 0); });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const first = entries.find((entry) => !entry.hidden);
    if (first) location.hash = first.id;
  });
  // A link to an entry the filter hides would land nowhere: clear the filter first.
  window.addEventListener('hashchange', () => {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.hidden) { input.value = ''; filter(); target.scrollIntoView(); }
  });
  for (const button of document.querySelectorAll('button.copy')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const url = new URL('#' + button.dataset.slug, location.href).href;
      try {
        await navigator.clipboard.writeText(url);
        button.textContent = 'Copied';
      } catch {
        location.hash = button.dataset.slug;
        button.textContent = 'Link in address bar';
      }
      setTimeout(() => { button.textContent = 'Copy link'; }, 1500);
    });
  }
})();
`;
