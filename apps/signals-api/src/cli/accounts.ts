import type { Store } from '../db/store.ts';
import { expectPositionals, out, parse, UsageError } from './args.ts';
import { CommandError } from './keys.ts';

/**
 * `accounts set-subscription KEY_ID active|inactive`: records the billing state of the key's
 * account (an inactive one is refused with ih3005 once limits are enforced).
 * @example await accountsSetSubscription(store, ['key_abc', 'inactive'], new Date());
 */
export async function accountsSetSubscription(
  store: Store,
  argv: readonly string[],
  now: Date,
): Promise<void> {
  const usage = 'accounts set-subscription KEY_ID active|inactive';
  const { positionals } = parse(argv, {});
  expectPositionals(positionals, ['KEY_ID', 'STATUS'], usage);
  const [keyId, status] = positionals as [string, string];
  if (status !== 'active' && status !== 'inactive')
    throw new UsageError(
      `status must be "active" or "inactive" (got "${status}"); usage: signals-api ${usage}`,
    );
  if (!(await store.setSubscription(keyId, status, now))) throw new CommandError(`no key with id "${keyId}"`);
  out(JSON.stringify({ key_id: keyId, subscription: status }));
}
