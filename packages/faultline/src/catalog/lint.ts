import type { Entry } from './types.ts';

/** One finding of `lintCatalog`. Errors fail the CLI; warnings are printed. */
export interface LintIssue {
  readonly level: 'error' | 'warning';
  readonly rule: string;
  readonly id: string;
  readonly message: string;
}

/** Close codes an endpoint must never send in a Close frame (RFC 6455 §7.4.1). */
const RESERVED_CLOSE_CODES = new Set([1004, 1005, 1006, 1015]);

/**
 * Checks a catalog's entries for mistakes a type checker cannot see.
 * @example lintCatalog(signals.entries).filter((i) => i.level === 'error')
 */
export function lintCatalog(entries: readonly Entry[]): LintIssue[] {
  const issues: LintIssue[] = [];
  const report = (level: LintIssue['level'], rule: string, id: string, message: string) =>
    issues.push({ level, rule, id, message });

  const seenIds = new Map<string, string>();
  const seenSlugs = new Map<string, string>();
  const ids = new Set(entries.map((e) => e.id));
  for (const entry of entries) {
    const key = entry.id.toLowerCase();
    const first = seenIds.get(key);
    if (first !== undefined)
      report('error', 'duplicate-id', entry.id, `id "${entry.id}" is defined twice (first as "${first}")`);
    else seenIds.set(key, entry.id);

    const slugOwner = seenSlugs.get(entry.slug);
    if (slugOwner !== undefined && slugOwner.toLowerCase() !== key)
      report('error', 'slug-collision', entry.id, `slug "${entry.slug}" is also the slug of "${slugOwner}"`);
    else seenSlugs.set(entry.slug, entry.id);

    if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(entry.id))
      report(
        'error',
        'invalid-id',
        entry.id,
        `id "${entry.id}" must start with a letter and use letters, digits, _ . -`,
      );
    if (!entry.title?.trim()) report('error', 'missing-title', entry.id, `"${entry.id}" has no title`);
    if (!entry.message?.trim()) report('error', 'missing-message', entry.id, `"${entry.id}" has no message`);
    if (entry.fix.length === 0 || entry.fix.some((step) => !step.trim()))
      report('error', 'missing-fix', entry.id, `"${entry.id}" has no how-to-fix text`);

    if (
      entry.status !== undefined &&
      !(Number.isInteger(entry.status) && entry.status >= 400 && entry.status <= 599)
    )
      report(
        'error',
        'invalid-status',
        entry.id,
        `"${entry.id}" has status ${entry.status}; an error status is 400–599`,
      );
    if (entry.status === undefined && entry.closeCode === undefined && !entry.category)
      report(
        'warning',
        'no-transport',
        entry.id,
        `"${entry.id}" has neither an HTTP status nor a close code`,
      );

    if (entry.closeCode !== undefined) {
      const code = entry.closeCode;
      const valid = Number.isInteger(code) && code >= 1000 && code <= 4999 && !RESERVED_CLOSE_CODES.has(code);
      if (!valid)
        report('error', 'invalid-close-code', entry.id, `"${entry.id}" has close code ${code}, not sendable`);
    }
    if (entry.retryAfterSeconds !== undefined) {
      if (!(entry.retryAfterSeconds >= 0))
        report(
          'error',
          'invalid-retry-after',
          entry.id,
          `"${entry.id}" has a negative or invalid retry delay`,
        );
      if (!entry.retryable)
        report(
          'warning',
          'retry-after-not-retryable',
          entry.id,
          `"${entry.id}" sets a retry delay but is not retryable`,
        );
    }
    if (entry.status !== undefined && entry.status >= 500 && entry.status !== 501 && !entry.retryable)
      report(
        'warning',
        'server-error-not-retryable',
        entry.id,
        `"${entry.id}" is a ${entry.status} but not retryable`,
      );

    const successor = entry.deprecated?.replacedBy;
    if (successor !== undefined && !ids.has(successor))
      report(
        'error',
        'unknown-replacement',
        entry.id,
        `"${entry.id}" is replaced by "${successor}", which is not in the catalog`,
      );
  }
  return issues;
}
