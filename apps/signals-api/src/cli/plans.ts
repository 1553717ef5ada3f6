import type { Store } from '../db/store.ts';
import { expectPositionals, out, parse, UsageError, wholeNumber } from './args.ts';

/**
 * `plans set NAME --rpm N --concurrency N --period-minutes N --daily-minutes N`: creates or
 * replaces a plan and prints it as JSON. All four limits are required, so a plan is never half set.
 * @example await plansSet(store, ['pro', '--rpm', '600', '--concurrency', '8', '--period-minutes', '6000', '--daily-minutes', '600']);
 */
export async function plansSet(store: Store, argv: readonly string[]): Promise<void> {
  const usage = 'plans set NAME --rpm N --concurrency N --period-minutes N --daily-minutes N';
  const { values, positionals } = parse(argv, {
    rpm: { type: 'string' },
    concurrency: { type: 'string' },
    'period-minutes': { type: 'string' },
    'daily-minutes': { type: 'string' },
  });
  expectPositionals(positionals, ['NAME'], usage);
  const name = positionals[0]!;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name))
    throw new UsageError(
      `plan name "${name}" must be 1–64 letters, digits, _ . - (starting with a letter or digit)`,
    );
  const plan = {
    name,
    rpm: wholeNumber(values.rpm, '--rpm', 1),
    concurrency: wholeNumber(values.concurrency, '--concurrency', 1),
    periodMinutes: wholeNumber(values['period-minutes'], '--period-minutes', 0),
    dailyMinutes: wholeNumber(values['daily-minutes'], '--daily-minutes', 0),
  };
  await store.putPlan(plan);
  out(JSON.stringify(planJson(plan)));
}

/**
 * `plans list`: one JSON object per line.
 * @example await plansList(store, []);
 */
export async function plansList(store: Store, argv: readonly string[]): Promise<void> {
  const { positionals } = parse(argv, {});
  expectPositionals(positionals, [], 'plans list');
  for (const plan of await store.listPlans()) out(JSON.stringify(planJson(plan)));
}

function planJson(plan: {
  name: string;
  rpm: number;
  concurrency: number;
  periodMinutes: number;
  dailyMinutes: number;
}) {
  return {
    name: plan.name,
    rpm: plan.rpm,
    concurrency: plan.concurrency,
    period_minutes: plan.periodMinutes,
    daily_minutes: plan.dailyMinutes,
  };
}
