import type { Logger } from '@pitlane/core';

import type { Config } from '../config';
import type { ClaimedDelivery, DeliveryQueue } from '../data-access/delivery-queue';
import type { Endpoint, WebhooksRepository } from '../data-access/webhooks.repository';
import { EndpointLanes, type Job } from './endpoint-lanes';
import { attemptOutcome } from './attempt-outcome';
import type { DeliveryMetrics } from './delivery-metrics';
import { EndpointHealth } from './endpoint-health';
import { sendWebhook } from './send-webhook';
import { signatureHeader } from '../domain/signature';

const POLL_BATCH = 100;
const USER_AGENT = 'Pitlane-Webhooks/1.0';

export interface DeliveryWorkerDeps {
  config: Config;
  queue: DeliveryQueue;
  webhooks: WebhooksRepository;
  logger: Logger;
  metrics: DeliveryMetrics;
  /** called after an endpoint was auto-disabled (its webhook.disabled event waits in the outbox) */
  onDisabled?: () => void;
}

/**
 * Sends deliveries. New ones arrive leased from the fan-out (no wait); due retries and deliveries
 * whose worker died are found by polling `nextAttemptAt` and claimed under a lease (swap-and-
 * inspect, see DeliveryQueue.claim), so two instances never send the same attempt and retry
 * times survive restarts. Also purges finished deliveries past retention.
 */
export class DeliveryWorker {
  private readonly lanes: EndpointLanes;
  private readonly health: EndpointHealth;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    const { config } = deps;
    this.lanes = new EndpointLanes(
      {
        concurrency: config.WEBHOOK_ENDPOINT_CONCURRENCY,
        maxInFlight: config.WEBHOOK_MAX_IN_FLIGHT,
        queueLimit: config.WEBHOOK_ENDPOINT_QUEUE_LIMIT,
      },
      (job) => this.attempt(job),
      (endpointId, intervalMs) => deps.webhooks.reserveSendSlot(endpointId, intervalMs),
    );
    this.health = new EndpointHealth(deps.webhooks, config, deps.logger);
    this.health.onDisabled = deps.onDisabled;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Polls now (after a recover made deliveries due). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Whether a new delivery for this endpoint can be taken in memory right away. */
  canAccept(endpointId: string): boolean {
    return this.running && this.lanes.canAccept(endpointId);
  }

  /** Queues a delivery this worker holds the lease of; gives the lease back if it cannot take it. */
  dispatch(delivery: ClaimedDelivery, endpoint: Endpoint): void {
    if (this.running && this.lanes.push({ delivery, endpoint })) return;
    void this.deps.queue
      .release([delivery.id])
      .catch((error: unknown) => this.deps.logger.warn({ err: error, deliveryId: delivery.id }, 'cannot release delivery'));
  }

  /** Stops polling, gives waiting deliveries back and lets attempts in flight finish and be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    const waiting = this.lanes.drain();
    await this.deps.queue.release(waiting.map((job) => job.delivery.id)).catch(() => undefined);
    await this.lanes.idle();
  }

  private async run(): Promise<void> {
    const interval = this.deps.config.WEBHOOK_POLL_INTERVAL_MS;
    let purgedAt = 0;
    while (this.running) {
      let claimed = 0;
      try {
        if (Date.now() - purgedAt >= this.deps.config.WEBHOOK_PURGE_INTERVAL_MS) {
          purgedAt = Date.now();
          await this.purge();
        }
        claimed = await this.pollOnce();
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'delivery poll failed, will retry');
      }
      if (!this.running) break;
      if (claimed >= POLL_BATCH) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async purge(): Promise<void> {
    const cutoff = new Date(Date.now() - this.deps.config.WEBHOOK_RETENTION_MS);
    const purged = await this.deps.queue.purgeFinished(cutoff);
    if (purged > 0) this.deps.logger.info({ purged, cutoff }, 'finished deliveries past retention deleted');
  }

  private async pollOnce(): Promise<number> {
    const candidates = await this.deps.queue.findDue(POLL_BATCH, this.lanes.fullEndpoints());
    if (candidates.length === 0) return 0;
    const endpoints = await this.deps.webhooks.endpointsByIds([...new Set(candidates.map((c) => c.webhookId))]);
    let claimed = 0;
    for (const candidate of candidates) {
      if (!this.running) break;
      const delivery = await this.deps.queue.claim(candidate._id);
      if (!delivery) continue; // another worker was faster
      claimed++;
      const endpoint = endpoints.get(delivery.webhookId);
      if (endpoint) this.dispatch(delivery, endpoint);
      else await this.deps.queue.failWithoutAttempt(delivery, 'endpoint_deleted');
    }
    return claimed;
  }

  private async attempt({ delivery, endpoint }: Job): Promise<void> {
    const { config, queue, logger } = this.deps;
    const ids = { deliveryId: delivery.id, webhookId: endpoint.id, eventId: delivery.eventId };
    try {
      // waited in memory long enough that the lease might not cover the attempt: extend it first
      if (delivery.leaseUntil.getTime() - Date.now() < config.WEBHOOK_TIMEOUT_MS + 5_000) {
        if (!(await queue.renewLease(delivery))) return logger.info(ids, 'lease lost while queued; another worker has it');
      }
      // re-read right before sending (the job may have waited in a lane while the endpoint was
      // deleted or disabled, even disabled and re-enabled): by _id alone, so it stays cheap
      const state = await this.deps.webhooks.sendState(endpoint.id);
      if (!state) return await queue.failWithoutAttempt(delivery, 'endpoint_deleted');
      if (state.status !== 'active' || state.epoch !== delivery.webhookEpoch) {
        return await queue.failWithoutAttempt(delivery, 'endpoint_disabled');
      }
      const at = new Date();
      const timestamp = Math.floor(at.getTime() / 1000);
      const result = await sendWebhook({
        url: endpoint.url,
        body: delivery.body,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': delivery.eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(endpoint.secrets, delivery.eventId, timestamp, delivery.body),
        },
      });
      this.deps.metrics.observe(result, delivery.dueAt, at);
      const outcome = attemptOutcome(config, delivery, result, at);
      const { retryAfterMs: _retryAfter, ...attempt } = result;
      const recorded = await queue.recordAttempt(delivery, { at, ...attempt }, outcome);
      if (!recorded) logger.warn(ids, 'attempt sent but its delivery is gone');
      const line = { ...ids, status: result.status, error: result.error, outcome: outcome.status, durationMs: result.durationMs };
      // successes are the bulk (hundreds a second): debug; failures are what operators look for
      if (outcome.status === 'succeeded') logger.debug(line, 'webhook attempt');
      else logger.info(line, 'webhook attempt');
      await this.health.afterAttempt(endpoint.id, outcome, result.status, at);
    } catch (error) {
      // the lease expires and another attempt follows; nothing is lost
      logger.error({ ...ids, err: error }, 'delivery attempt could not be completed');
    }
  }
}
