import type { Logger } from '@pitlane/core';

import type { WebhooksRepository } from '../../data-access/webhooks.repository';
import type { AttemptOutcome } from '../../domain/attempt-outcome';
import { disableDecision, GONE, type DisableDecision, type DisablePolicy } from '../../domain/auto-disable';

/** How often one worker tells the database an endpoint is healthy (a write per success would
 * double the cost of a delivery). A failure seen here forces the next success through at once. */
const SUCCESS_WRITE_INTERVAL_MS = 1_000;

export interface EndpointHealthDeps {
  webhooks: WebhooksRepository;
  policy: DisablePolicy;
  logger: Logger;
  /** nudges the outbox relay so webhook.disabled goes out at once */
  onDisabled: () => void;
}

/** After each attempt: keeps the endpoint's failure record and disables it when the domain's
 * auto-disable rule says so (see domain/auto-disable.ts). */
export class EndpointHealth {
  private readonly lastSuccessWrite = new Map<string, number>();

  constructor(private readonly deps: EndpointHealthDeps) {}

  async afterAttempt(endpointId: string, outcome: AttemptOutcome, httpStatus: number | null, at: Date): Promise<void> {
    const { webhooks, policy } = this.deps;
    if (outcome.status === 'succeeded') return this.recordSuccess(endpointId);
    this.lastSuccessWrite.delete(endpointId);
    if (httpStatus === 410) return this.disable(endpointId, GONE);
    await webhooks.recordFailedAttempt(endpointId, at);
    if (outcome.status === 'failed') await webhooks.recordFailedDelivery(endpointId);
    const state = await webhooks.failureState(endpointId);
    if (!state) return;
    const decision = disableDecision(
      { status: state.status, failingSince: state.failingSince ?? null, consecutiveFailures: state.consecutiveFailures ?? 0 },
      policy,
      at,
    );
    if (decision) await this.disable(endpointId, decision);
  }

  private async recordSuccess(endpointId: string): Promise<void> {
    const last = this.lastSuccessWrite.get(endpointId);
    if (last !== undefined && Date.now() - last < SUCCESS_WRITE_INTERVAL_MS) return;
    this.lastSuccessWrite.set(endpointId, Date.now());
    await this.deps.webhooks.recordSuccess(endpointId);
  }

  private async disable(endpointId: string, decision: DisableDecision): Promise<void> {
    if (await this.deps.webhooks.disableIf(endpointId, decision.guard, decision.reason)) {
      this.deps.logger.warn({ webhookId: endpointId, reason: decision.reason }, 'webhook endpoint disabled');
      this.deps.onDisabled();
    }
  }
}
