import type { Store } from '../db/store.ts';
import { quotaWindows } from '../limits/quota.ts';
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

/**
 * `accounts usage KEY_ID`: the plan, the subscription and the video-minutes used (billed plus
 * held by analyses in progress) in the current billing period and UTC day, from the ledger.
 * @example await accountsUsage(store, ['key_abc'], new Date());
 */
export async function accountsUsage(store: Store, argv: readonly string[], now: Date): Promise<void> {
  const { positionals } = parse(argv, {});
  expectPositionals(positionals, ['KEY_ID'], 'accounts usage KEY_ID');
  const keyId = positionals[0]!;
  const account = await store.accountLimits(keyId);
  if (!account) throw new CommandError(`no key with id "${keyId}"`);
  const windows = quotaWindows(now.getTime());
  const used = await store.usageTotals(keyId, windows, now);
  const minutes = (seconds: number) => Math.round((seconds / 60) * 1000) / 1000;
  out(
    JSON.stringify({
      key_id: keyId,
      plan: account.plan.name,
      subscription: account.subscription,
      period: {
        from: windows.periodFrom.toISOString(),
        to: windows.periodTo.toISOString(),
        used_minutes: minutes(used.periodSeconds),
        limit_minutes: account.plan.periodMinutes,
      },
      day: {
        from: windows.dayFrom.toISOString(),
        to: windows.dayTo.toISOString(),
        used_minutes: minutes(used.daySeconds),
        limit_minutes: account.plan.dailyMinutes,
      },
    }),
  );
}
