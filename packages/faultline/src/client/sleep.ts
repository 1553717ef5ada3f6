/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts (at once if it already
 * has): a caller that gives up never waits out a long `Retry-After`.
 * @example await abortableSleep(1000, AbortSignal.timeout(50)).catch((reason) => reason.name) // 'TimeoutError'
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
