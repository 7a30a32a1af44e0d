import { nextRetry, type RetryPolicy } from './retry-schedule';

/** The state a delivery moves to after an attempt. */
export interface AttemptOutcome {
  status: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt: Date | null;
  scheduleIndex: number;
  failureReason: string | null;
}

/** What an attempt's answer was (the parts that decide its outcome). */
export interface AttemptAnswer {
  /** HTTP status; null when no answer came */
  status: number | null;
  durationMs: number;
  retryAfterMs: number | null;
}

/** What an attempt's answer means for its delivery: done, retried later, or failed for good. */
export function attemptOutcome(
  policy: RetryPolicy,
  delivery: { scheduleIndex: number; manual: boolean },
  answer: AttemptAnswer,
  /** when the answer (or its absence) was known: a Retry-After counts from here, not from the send */
  answeredAt: Date,
  random: () => number = Math.random,
): AttemptOutcome {
  const done = { nextAttemptAt: null, scheduleIndex: delivery.scheduleIndex };
  if (answer.status !== null && answer.status >= 200 && answer.status < 300) {
    return { ...done, status: 'succeeded', failureReason: null };
  }
  // Standard Webhooks: 410 Gone means the receiver wants no more (the endpoint is disabled too)
  if (answer.status === 410) return { ...done, status: 'failed', failureReason: 'endpoint_gone' };
  if (delivery.manual) return { ...done, status: 'failed', failureReason: 'manual_attempt_failed' };
  const honoursRetryAfter = answer.status === 429 || answer.status === 503;
  const retry = nextRetry(policy, delivery.scheduleIndex, honoursRetryAfter ? answer.retryAfterMs : null, random);
  if (!retry) return { ...done, status: 'failed', failureReason: 'retries_exhausted' };
  return {
    status: 'pending',
    nextAttemptAt: new Date(answeredAt.getTime() + retry.delayMs),
    scheduleIndex: retry.nextScheduleIndex,
    failureReason: null,
  };
}
