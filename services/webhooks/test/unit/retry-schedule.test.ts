import { attemptOutcome } from '../../src/domain/attempt-outcome';
import { nextRetry, parseRetryAfter } from '../../src/domain/retry-schedule';

const policy = { scheduleMs: [5_000, 300_000], jitter: 0.2, maxRetryAfterMs: 3_600_000 };

describe('retry schedule (hand-computed cases)', () => {
  it('when a retry is scheduled, then jitter stays within bounds, Retry-After wins (capped) and the schedule ends', () => {
    expect(nextRetry(policy, 0, null, () => 0)).toEqual({ delayMs: 4_000, nextScheduleIndex: 1 });
    expect(nextRetry(policy, 0, null, () => 1)).toEqual({ delayMs: 6_000, nextScheduleIndex: 1 });
    expect(nextRetry(policy, 1, null, () => 0.5)).toEqual({ delayMs: 300_000, nextScheduleIndex: 2 });
    expect(nextRetry(policy, 1, 120_000)).toEqual({ delayMs: 120_000, nextScheduleIndex: 2 });
    expect(nextRetry(policy, 0, 86_400_000)?.delayMs).toBe(3_600_000);
    expect(nextRetry(policy, 2, null)).toBeNull();
  });

  it('when Retry-After is read, then seconds and HTTP dates count and anything else is ignored', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 21:00:30 GMT', Date.parse('2026-11-25T21:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });
});

describe('attempt outcome', () => {
  // the attempt was sent at 10:00:00.000 and answered 250 ms later
  const at = new Date('2026-11-25T10:00:00.250Z');
  const answer = (status: number | null, retryAfterMs: number | null = null) => ({ status, durationMs: 250, retryAfterMs });
  const scheduled = { scheduleIndex: 0, manual: false };

  it('when the receiver answers 2xx, then the delivery succeeded', () => {
    expect(attemptOutcome(policy, scheduled, answer(204), at)).toEqual({ status: 'succeeded', nextAttemptAt: null, scheduleIndex: 0, failureReason: null });
  });

  it('when it fails, then the next attempt is due the scheduled delay after the answer', () => {
    // answered at 10:00:00.250 + 5 000 ms × (1 - 0.2 + 0.4 × 0.5) = 10:00:05.250
    expect(attemptOutcome(policy, scheduled, answer(500), at, () => 0.5)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-11-25T10:00:05.250Z'),
      scheduleIndex: 1,
      failureReason: null,
    });
  });

  it('when a 429 or 503 names a Retry-After, then it decides the delay; other statuses ignore it', () => {
    expect(attemptOutcome(policy, scheduled, answer(429, 60_000), at).nextAttemptAt).toEqual(new Date('2026-11-25T10:01:00.250Z'));
    expect(attemptOutcome(policy, scheduled, answer(503, 60_000), at).nextAttemptAt).toEqual(new Date('2026-11-25T10:01:00.250Z'));
    expect(attemptOutcome(policy, scheduled, answer(500, 60_000), at, () => 0.5).nextAttemptAt).toEqual(new Date('2026-11-25T10:00:05.250Z'));
  });

  it('when the schedule is used up, a manual attempt fails or the receiver answers 410, then the delivery fails for good', () => {
    expect(attemptOutcome(policy, { scheduleIndex: 2, manual: false }, answer(null), at)).toMatchObject({ status: 'failed', failureReason: 'retries_exhausted' });
    expect(attemptOutcome(policy, { scheduleIndex: 0, manual: true }, answer(500), at)).toMatchObject({ status: 'failed', failureReason: 'manual_attempt_failed' });
    expect(attemptOutcome(policy, scheduled, answer(410), at)).toMatchObject({ status: 'failed', failureReason: 'endpoint_gone', nextAttemptAt: null });
  });
});
