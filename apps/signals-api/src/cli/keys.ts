import { provisionKey } from '../auth/provision.ts';
import { ALL_SCOPES, isScope } from '../auth/scopes.ts';
import type { Config } from '../config.ts';
import { DEFAULT_PLAN, type Store } from '../db/store.ts';
import { expectPositionals, out, parse, UsageError } from './args.ts';

/**
 * `keys create --scopes a,b [--plan NAME]`: prints exactly one JSON object
 * `{"key_id","key_secret","scopes","plan"}` on stdout and nothing else (scripts parse it).
 * @example await keysCreate(store, ['--scopes', 'interhumanai.upload'], new Date());
 */
export async function keysCreate(
  store: Store,
  argv: readonly string[],
  now: Date,
  config?: Pick<Config, 'keyPepper'>,
): Promise<void> {
  const usage = 'keys create --scopes interhumanai.upload[,interhumanai.stream] [--plan NAME]';
  const { values, positionals } = parse(argv, { scopes: { type: 'string' }, plan: { type: 'string' } });
  expectPositionals(positionals, [], usage);
  if (values.scopes === undefined) throw new UsageError(`--scopes is required; usage: signals-api ${usage}`);
  const scopes = [
    ...new Set(
      values.scopes
        .split(',')
        .map((scope) => scope.trim())
        .filter(Boolean),
    ),
  ];
  if (scopes.length === 0) throw new UsageError(`--scopes needs at least one of ${ALL_SCOPES.join(', ')}`);
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}; valid: ${ALL_SCOPES.join(', ')}`,
    );
  const plan = values.plan ?? DEFAULT_PLAN;
  if (!(await store.getPlan(plan)))
    throw new UsageError(
      `plan "${plan}" does not exist; create it first with "signals-api plans set ${plan} …"`,
    );
  const key = await provisionKey(store, { scopes, plan, now, pepper: config?.keyPepper });
  out(JSON.stringify(key));
}

/**
 * `keys revoke KEY_ID`: the key stops authenticating, and its tokens stop working.
 * @example await keysRevoke(store, ['key_abc'], new Date());
 */
export async function keysRevoke(store: Store, argv: readonly string[], now: Date): Promise<void> {
  const { positionals } = parse(argv, {});
  expectPositionals(positionals, ['KEY_ID'], 'keys revoke KEY_ID');
  const id = positionals[0]!;
  if (!(await store.revokeKey(id, now))) throw new CommandError(`no key with id "${id}"`);
  const key = await store.getKey(id);
  out(JSON.stringify({ key_id: id, revoked_at: key?.revokedAt?.toISOString() ?? null }));
}

/**
 * `keys list`: one JSON object per line; never secrets or hashes.
 * @example await keysList(store, []);
 */
export async function keysList(store: Store, argv: readonly string[]): Promise<void> {
  const { positionals } = parse(argv, {});
  expectPositionals(positionals, [], 'keys list');
  for (const key of await store.listKeys()) {
    out(
      JSON.stringify({
        key_id: key.id,
        scopes: key.scopes,
        plan: key.plan,
        subscription: (await store.getSubscription(key.id)) ?? null,
        created_at: key.createdAt.toISOString(),
        revoked_at: key.revokedAt?.toISOString() ?? null,
      }),
    );
  }
}

/**
 * A well-formed command that failed (unknown key…): exit 1, not a usage error.
 * @example if (!(await store.revokeKey(id, now))) throw new CommandError(`no key with id "${id}"`);
 */
export class CommandError extends Error {
  override get name(): string {
    return 'CommandError';
  }
}
