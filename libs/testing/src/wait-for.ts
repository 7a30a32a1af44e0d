export interface WaitForOptions {
  /** Give up after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** Pause between probes (default 50 ms). */
  intervalMs?: number;
  /** Text of the error thrown on timeout. */
  message?: string;
}

type Falsy = undefined | false;

/** Polls `probe` until it returns (or resolves to) something truthy and returns that value.
 * A probe that throws counts as "not yet"; its last error is attached to the timeout error. */
export async function waitFor<T>(
  probe: () => Promise<T | Falsy> | T | Falsy,
  options: WaitForOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, message = `waitFor: condition not met within ${timeoutMs} ms` } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      if (lastError === undefined) throw new Error(message);
      throw new Error(`${message} (last error: ${describe(lastError)})`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? typeof error;
}
