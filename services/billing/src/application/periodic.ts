import type { Logger } from '@pitlane/core';

/** A background job of the instance (startService's ServiceWorker): runs `pass` at start, then every
 * `intervalMs` after the previous pass ended (passes never overlap); stop() waits for the pass in flight. */
export function periodic(name: string, intervalMs: number, pass: () => Promise<unknown>, logger: Logger) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = pass()
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error, worker: name }, 'worker pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  return {
    name,
    /** runs a pass now (tests, and a route that just queued work), after the one in flight */
    kick: (): Promise<void> => (running = running.then(() => pass().then(() => undefined))),
    start: () => {
      stopped = false;
      tick();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
