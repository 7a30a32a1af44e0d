/** When the next attempt of a failed delivery is due, or null when the delivery is failed for good. */
export interface RetryPolicy {
  /** delay before retry n+1 after n scheduled retries, e.g. Svix's 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h */
  scheduleMs: number[];
  /** each delay is multiplied by a factor in [1 - jitter, 1 + jitter] so retries of many deliveries spread out */
  jitter: number;
  maxRetryAfterMs: number;
}

export interface RetryDecision {
  delayMs: number;
  /** index into the schedule for the retry after this one */
  nextScheduleIndex: number;
}

export function nextRetry(
  policy: RetryPolicy,
  scheduleIndex: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): RetryDecision | null {
  const scheduled = policy.scheduleMs[scheduleIndex];
  if (scheduled === undefined) return null;
  const factor = 1 - policy.jitter + 2 * policy.jitter * random();
  // a receiver's Retry-After (429/503) wins over our schedule: it knows when it can take traffic again
  const delayMs =
    retryAfterMs === null ? Math.round(scheduled * factor) : Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return { delayMs, nextScheduleIndex: scheduleIndex + 1 };
}

/** `Retry-After` as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
