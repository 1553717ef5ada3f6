/**
 * Docs slugs: `<id>-<kebab-case title>`, the anchor every `link` points at.
 * @example slugFor('ih2005', 'Missing Key Secret') // 'ih2005-missing-key-secret'
 */
export function slugFor(id: string, title: string): string {
  return `${id}-${kebab(title)}`.toLowerCase();
}

/**
 * Lower-case words joined by `-`; anything that is not a letter or digit separates words.
 * @example kebab('Rate Limit Exceeded') // 'rate-limit-exceeded'
 */
export function kebab(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join('-');
}

/** Placeholder names in a message template, in order of first appearance. */
export function templateParams(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(match[1]!);
  return [...names];
}

/** Fills `{param}` placeholders; unknown placeholders are left as written. */
export function renderTemplate(
  template: string,
  params: Readonly<Record<string, unknown>> | undefined,
): string {
  if (!params || template.indexOf('{') === -1) return template;
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
