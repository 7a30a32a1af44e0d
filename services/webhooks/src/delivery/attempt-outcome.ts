import type { Config } from '../config';
import type { AttemptOutcome, ClaimedDelivery } from '../data-access/delivery-queue';
import { nextRetry } from '../domain/retry-schedule';
import type { SendResult } from './send-webhook';

/** What an attempt's answer means for its delivery: done, retried later, or failed for good. */
export function attemptOutcome(config: Config, delivery: ClaimedDelivery, result: SendResult, at: Date): AttemptOutcome {
  const done = { nextAttemptAt: null, scheduleIndex: delivery.scheduleIndex };
  if (result.status !== null && result.status >= 200 && result.status < 300) {
    return { ...done, status: 'succeeded', failureReason: null };
  }
  // Standard Webhooks: 410 Gone means the receiver wants no more (the endpoint is disabled too)
  if (result.status === 410) return { ...done, status: 'failed', failureReason: 'endpoint_gone' };
  if (delivery.manual) return { ...done, status: 'failed', failureReason: 'manual_attempt_failed' };
  const honoursRetryAfter = result.status === 429 || result.status === 503;
  const retry = nextRetry(
    {
      scheduleMs: config.WEBHOOK_RETRY_SCHEDULE_MS,
      jitter: config.WEBHOOK_RETRY_JITTER,
      maxRetryAfterMs: config.WEBHOOK_MAX_RETRY_AFTER_MS,
    },
    delivery.scheduleIndex,
    honoursRetryAfter ? result.retryAfterMs : null,
  );
  if (!retry) return { ...done, status: 'failed', failureReason: 'retries_exhausted' };
  return {
    status: 'pending',
    nextAttemptAt: new Date(at.getTime() + result.durationMs + retry.delayMs),
    scheduleIndex: retry.nextScheduleIndex,
    failureReason: null,
  };
}
