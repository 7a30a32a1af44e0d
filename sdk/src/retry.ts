/** Retries a 429 after its Retry-After and a 503 with exponential backoff (with jitter); everything
 * else, and a network error, is the caller's to handle. The request is cloned before each attempt so
 * its body can be sent again, and its Idempotency-Key stays the same, so a retried create creates once. */
export interface RetryOptions {
  /** attempts after the first (default 3) */
  retries?: number;
  on429?: boolean;
  on503?: boolean;
  /** first backoff for a 503, doubled each time (default 500 ms) */
  baseDelayMs?: number;
  /** no single wait is longer than this (default 30 s) */
  maxDelayMs?: number;
}

type Fetch = (request: Request) => Promise<Response>;

export function retryingFetch(inner: Fetch, options: RetryOptions | false, sleep = defaultSleep): Fetch {
  if (options === false) return inner;
  const retries = options.retries ?? 3;
  const on429 = options.on429 ?? true;
  const on503 = options.on503 ?? true;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      const response = await inner(attempt < retries ? request.clone() : request);
      const retryable = (response.status === 429 && on429) || (response.status === 503 && on503);
      if (!retryable || attempt >= retries) return response;
      const after = retryAfterMs(response.headers.get('retry-after'));
      const backoff = base * 2 ** attempt * (0.5 + Math.random() / 2);
      await response.body?.cancel();
      await sleep(Math.min(max, after ?? (response.status === 429 ? 1000 : backoff)));
    }
  };
}

/** Retry-After is seconds or an HTTP date. */
export function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
