/** Auto-disable (Svix's rule): an endpoint that answered 410 Gone, that failed N deliveries in a
 * row, or whose attempts have all failed for a period is disabled with a reason. */
export interface DisablePolicy {
  afterFailures: number;
  afterMs: number;
}

/** What must still hold when the disable is written, so that of several workers deciding at once
 * only one disables (and a success in between cancels it): unconditional, or a streak/period. */
export type DisableGuard =
  | { kind: 'always' }
  | { kind: 'consecutive_failures'; atLeast: number }
  | { kind: 'failing_since'; notAfter: Date };

export interface DisableDecision {
  guard: DisableGuard;
  reason: string;
}

export interface FailureState {
  status: string;
  failingSince: Date | null;
  consecutiveFailures: number;
}

export const GONE: DisableDecision = { guard: { kind: 'always' }, reason: 'the endpoint answered 410 Gone' };

/** After a failed attempt has been counted: disable now, or not (null). */
export function disableDecision(state: FailureState, policy: DisablePolicy, at: Date): DisableDecision | null {
  if (state.status !== 'active') return null;
  if (state.consecutiveFailures >= policy.afterFailures) {
    return {
      guard: { kind: 'consecutive_failures', atLeast: policy.afterFailures },
      reason: `${state.consecutiveFailures} consecutive deliveries failed`,
    };
  }
  const cutoff = new Date(at.getTime() - policy.afterMs);
  if (state.failingSince && state.failingSince <= cutoff) {
    return {
      guard: { kind: 'failing_since', notAfter: cutoff },
      reason: `every delivery attempt failed since ${state.failingSince.toISOString()}`,
    };
  }
  return null;
}
