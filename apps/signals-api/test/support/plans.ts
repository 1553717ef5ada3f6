import type { TestServer } from './server.ts';

/**
 * Creates (with the real `plans set`) a plan no test reaches and returns its name, for tests
 * about slots, timeouts, refusals and drains that must not meet the limits of the `dev` plan.
 * @example const key = await server.createKey(['interhumanai.stream'], await unlimitedPlan(server));
 */
export async function unlimitedPlan(server: TestServer): Promise<string> {
  const big = '1000000';
  const result = await server.cli([
    ...['plans', 'set', 'unlimited', '--rpm', big, '--concurrency', big],
    ...['--period-minutes', big, '--daily-minutes', big],
  ]);
  if (result.code !== 0) throw new Error(`plans set failed: ${result.stderr}`);
  return 'unlimited';
}
