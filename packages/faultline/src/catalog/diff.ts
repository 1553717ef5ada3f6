import { kebab } from './slug.ts';
import type { Entry } from './types.ts';

/**
 * What changed about an entry between two versions of a catalog.
 * @example if (change.kind === 'renamed') console.log(`${change.id} → ${change.to}`);
 */
export type ChangeKind =
  | 'removed'
  | 'renamed'
  | 'status-changed'
  | 'retryable-changed'
  | 'param-removed'
  | 'field-removed'
  | 'slug-changed'
  | 'close-code-changed'
  | 'added'
  | 'param-added'
  | 'field-added'
  | 'title-changed'
  | 'message-changed'
  | 'description-changed'
  | 'fix-changed'
  | 'category-changed'
  | 'retry-after-changed'
  | 'deprecated'
  | 'undeprecated';

/**
 * One difference; `breaking` when a client or a docs link written against the old catalog can break.
 * @example { kind: 'status-changed', id: 'ih2005', breaking: true, message: 'ih2005: HTTP status 400 → 401' }
 */
export interface Change {
  readonly kind: ChangeKind;
  /** The entry's id in the old catalog (the new one for `added`). */
  readonly id: string;
  /** For `renamed`: the new id. */
  readonly to?: string;
  readonly breaking: boolean;
  readonly message: string;
}

/**
 * Which kinds break clients: code branches on ids, statuses and retryability; links point at
 * slugs; parsers read parameters (through the message) and extra fields; sockets see close codes.
 * @example BREAKING_KINDS['slug-changed'] // true
 */
export const BREAKING_KINDS: Readonly<Record<ChangeKind, boolean>> = {
  removed: true,
  renamed: true,
  'status-changed': true,
  'retryable-changed': true,
  'param-removed': true,
  'field-removed': true,
  'slug-changed': true,
  'close-code-changed': true,
  added: false,
  'param-added': false,
  'field-added': false,
  'title-changed': false,
  'message-changed': false,
  'description-changed': false,
  'fix-changed': false,
  'category-changed': false,
  'retry-after-changed': false,
  deprecated: false,
  undeprecated: false,
};

/**
 * Compares two versions of a catalog, entry by entry, in old-catalog order then additions.
 * A removed id and an added id with the same title are one rename, not a removal and an addition.
 * @example
 * const breaking = diffCatalogs(previous.entries, signals.entries).filter((c) => c.breaking);
 */
export function diffCatalogs(old: readonly Entry[], next: readonly Entry[]): Change[] {
  const nextById = new Map(next.map((entry) => [entry.id, entry]));
  const oldIds = new Set(old.map((entry) => entry.id));
  const added = next.filter((entry) => !oldIds.has(entry.id));
  const renamedTo = new Map<Entry, Entry>();
  for (const entry of old) {
    if (nextById.has(entry.id)) continue;
    const title = kebab(entry.title);
    const candidates = added.filter((a) => kebab(a.title) === title && ![...renamedTo.values()].includes(a));
    // Prefer the candidate that also kept the status: that is the entry that moved.
    const match = candidates.find((a) => a.status === entry.status) ?? candidates[0];
    if (match) renamedTo.set(entry, match);
  }

  const changes: Change[] = [];
  const push = (kind: ChangeKind, id: string, message: string, to?: string) =>
    changes.push({ kind, id, breaking: BREAKING_KINDS[kind], message, ...(to !== undefined && { to }) });

  for (const before of old) {
    const same = nextById.get(before.id);
    const moved = renamedTo.get(before);
    if (same) compare(before, same, push, false);
    else if (moved) {
      push(
        'renamed',
        before.id,
        `${before.id} "${before.title}" is now ${moved.id}: clients matching on "${before.id}" stop matching`,
        moved.id,
      );
      compare(before, moved, push, true);
    } else
      push(
        'removed',
        before.id,
        `${before.id} "${before.title}" was removed: clients matching on it stop matching`,
      );
  }
  const renamedTargets = new Set(renamedTo.values());
  for (const entry of added)
    if (!renamedTargets.has(entry)) push('added', entry.id, `${entry.id} "${entry.title}" was added`);
  return changes;
}

type Push = (kind: ChangeKind, id: string, message: string) => void;

function compare(before: Entry, after: Entry, push: Push, renamed: boolean): void {
  const id = after.id;
  if (before.status !== after.status)
    push('status-changed', id, `${id}: HTTP status ${show(before.status)} → ${show(after.status)}`);
  if (before.retryable !== after.retryable)
    push(
      'retryable-changed',
      id,
      `${id}: ${after.retryable ? 'now retryable' : 'no longer retryable'}; client retry decisions change`,
    );
  for (const name of before.params.filter((p) => !after.params.includes(p)))
    push('param-removed', id, `${id}: message parameter "${name}" was removed`);
  for (const name of before.fields.filter((f) => !after.fields.includes(f)))
    push('field-removed', id, `${id}: extra field "${name}" was removed from the body`);
  // A rename changes the slug by construction; the rename already says links break.
  if (!renamed && before.slug !== after.slug)
    push(
      'slug-changed',
      id,
      `${id}: docs anchor #${before.slug} is now #${after.slug}; old links stop landing`,
    );
  if (before.closeCode !== after.closeCode)
    push(
      'close-code-changed',
      id,
      `${id}: WebSocket close code ${show(before.closeCode)} → ${show(after.closeCode)}`,
    );

  for (const name of after.params.filter((p) => !before.params.includes(p)))
    push('param-added', id, `${id}: message parameter "${name}" was added`);
  for (const name of after.fields.filter((f) => !before.fields.includes(f)))
    push('field-added', id, `${id}: extra field "${name}" was added to the body`);
  if (before.title !== after.title)
    push('title-changed', id, `${id}: title "${before.title}" → "${after.title}"`);
  if (before.message !== after.message) push('message-changed', id, `${id}: message text changed`);
  if ((before.description ?? '') !== (after.description ?? ''))
    push('description-changed', id, `${id}: description changed`);
  if (before.fix.join('\n') !== after.fix.join('\n'))
    push('fix-changed', id, `${id}: how-to-fix text changed`);
  if (before.category !== after.category)
    push('category-changed', id, `${id}: category "${before.category}" → "${after.category}"`);
  if (before.retryAfterSeconds !== after.retryAfterSeconds)
    push(
      'retry-after-changed',
      id,
      `${id}: default Retry-After ${show(before.retryAfterSeconds)} → ${show(after.retryAfterSeconds)} s`,
    );
  const was = before.deprecated;
  const is = after.deprecated;
  if (!was && is)
    push('deprecated', id, `${id}: deprecated${is.replacedBy ? `, replaced by ${is.replacedBy}` : ''}`);
  else if (was && !is) push('undeprecated', id, `${id}: no longer deprecated`);
  else if (was && is && was.replacedBy !== is.replacedBy)
    push('deprecated', id, `${id}: now replaced by ${is.replacedBy ?? 'nothing'}`);
}

function show(value: number | undefined): string {
  return value === undefined ? 'none' : String(value);
}
