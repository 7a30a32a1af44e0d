import type { Logger } from '@pitlane/core';

import type { Config } from '../config';
import type { AttemptOutcome } from '../data-access/delivery-queue';
import type { WebhooksRepository } from '../data-access/webhooks.repository';

/** How often one worker tells the database an endpoint is healthy (a write per success would
 * double the cost of a delivery). A failure seen here forces the next success through at once. */
const SUCCESS_WRITE_INTERVAL_MS = 1_000;

/** Auto-disable: an endpoint whose attempts have all failed for a period, that failed N
 * deliveries in a row, or that answered 410 Gone is disabled with a reason. */
export class EndpointHealth {
  private readonly lastSuccessWrite = new Map<string, number>();

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  async afterAttempt(endpointId: string, outcome: AttemptOutcome, httpStatus: number | null, at: Date): Promise<void> {
    if (outcome.status === 'succeeded') return this.recordSuccess(endpointId);
    this.lastSuccessWrite.delete(endpointId);
    if (httpStatus === 410) return this.disable(endpointId, {}, 'the endpoint answered 410 Gone');
    await this.webhooks.recordFailedAttempt(endpointId, at);
    if (outcome.status === 'failed') await this.webhooks.recordFailedDelivery(endpointId);
    const state = await this.webhooks.failureState(endpointId);
    if (!state || state.status !== 'active') return;
    const limit = this.config.WEBHOOK_DISABLE_AFTER_FAILURES;
    if (state.consecutiveFailures >= limit) {
      return this.disable(endpointId, { consecutiveFailures: { $gte: limit } }, `${state.consecutiveFailures} consecutive deliveries failed`);
    }
    const cutoff = new Date(at.getTime() - this.config.WEBHOOK_DISABLE_AFTER_MS);
    if (state.failingSince && state.failingSince <= cutoff) {
      return this.disable(
        endpointId,
        { failingSince: { $lte: cutoff } },
        `every delivery attempt failed since ${state.failingSince.toISOString()}`,
      );
    }
  }

  private async recordSuccess(endpointId: string): Promise<void> {
    const last = this.lastSuccessWrite.get(endpointId);
    if (last !== undefined && Date.now() - last < SUCCESS_WRITE_INTERVAL_MS) return;
    this.lastSuccessWrite.set(endpointId, Date.now());
    await this.webhooks.recordSuccess(endpointId);
  }

  private async disable(endpointId: string, condition: Record<string, unknown>, reason: string): Promise<void> {
    if (await this.webhooks.disableIf(endpointId, condition, reason)) {
      this.logger.warn({ webhookId: endpointId, reason }, 'webhook endpoint disabled');
      this.onDisabled?.();
    }
  }

  /** nudges the outbox relay so webhook.disabled goes out at once */
  onDisabled?: () => void;
}
