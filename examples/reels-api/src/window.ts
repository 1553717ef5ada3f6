/**
 * Requests per key in a sliding minute. `hit` records a request when there is room and
 * otherwise returns the whole seconds until the oldest one leaves the window.
 * @example const posts = slidingMinute(10, Date.now); const wait = posts.hit(key); if (wait > 0) refuse(wait);
 */
export function slidingMinute(limit: number, now: () => number) {
  const log = new Map<string, number[]>();
  return {
    hit(key: string): number {
      const t = now();
      const recent = (log.get(key) ?? []).filter((at) => at > t - 60_000);
      if (recent.length >= limit) {
        log.set(key, recent);
        return Math.max(1, Math.ceil((recent[recent.length - limit]! + 60_000 - t) / 1000));
      }
      recent.push(t);
      log.set(key, recent);
      return 0;
    },
  };
}
