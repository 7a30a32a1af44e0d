import { disableDecision, GONE } from '../../src/domain/auto-disable';

const policy = { afterFailures: 3, afterMs: 60_000 };
const at = new Date('2026-11-25T10:00:00.000Z');

describe('auto-disable rule', () => {
  it('when N deliveries in a row failed, then the endpoint is disabled, guarded by the streak', () => {
    expect(disableDecision({ status: 'active', failingSince: null, consecutiveFailures: 3 }, policy, at)).toEqual({
      guard: { kind: 'consecutive_failures', atLeast: 3 },
      reason: '3 consecutive deliveries failed',
    });
    expect(disableDecision({ status: 'active', failingSince: null, consecutiveFailures: 2 }, policy, at)).toBeNull();
  });

  it('when every attempt failed for the whole period, then it is disabled, guarded by the period start', () => {
    const failingSince = new Date('2026-11-25T09:59:00.000Z'); // exactly 60 s before
    expect(disableDecision({ status: 'active', failingSince, consecutiveFailures: 0 }, policy, at)).toEqual({
      guard: { kind: 'failing_since', notAfter: failingSince },
      reason: 'every delivery attempt failed since 2026-11-25T09:59:00.000Z',
    });
    const later = new Date('2026-11-25T09:59:00.001Z');
    expect(disableDecision({ status: 'active', failingSince: later, consecutiveFailures: 0 }, policy, at)).toBeNull();
  });

  it('when the endpoint is already disabled, then nothing is decided; 410 Gone disables unconditionally', () => {
    expect(disableDecision({ status: 'disabled', failingSince: null, consecutiveFailures: 99 }, policy, at)).toBeNull();
    expect(GONE).toEqual({ guard: { kind: 'always' }, reason: 'the endpoint answered 410 Gone' });
  });
});
