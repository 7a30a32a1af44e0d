import type { Logger } from '@pitlane/core';

import { leaseMsOf, retryPolicyOf, type Config } from '../../config';
import type { DeliveryQueue } from '../../data-access/delivery-queue.repository';
import type { SendState, WebhooksRepository } from '../../data-access/webhooks.repository';
import { attemptOutcome } from '../../domain/attempt-outcome';
import { signatureHeader } from '../../domain/signature';
import type { DeliveryMetrics } from './delivery-metrics';
import type { EndpointHealth } from './endpoint-health';
import type { Job } from './endpoint-lanes';
import { sendWebhook } from './send-webhook';

const USER_AGENT = 'Pitlane-Webhooks/1.0';

export interface AttemptDeliveryDeps {
  config: Config;
  queue: DeliveryQueue;
  webhooks: WebhooksRepository;
  metrics: DeliveryMetrics;
  health: EndpointHealth;
  logger: Logger;
}

const sendable = (state: SendState | null, epoch: number) => state?.status === 'active' && state.epoch === epoch;

/** One attempt of a delivery this worker holds the lease of: check the endpoint is still there and
 * in the delivery's epoch, sign, send, record the outcome, then update the endpoint's health. */
export function attemptDelivery(deps: AttemptDeliveryDeps): (job: Job) => Promise<void> {
  const { config, queue, webhooks, metrics, health, logger } = deps;
  const policy = retryPolicyOf(config);
  const leaseMs = leaseMsOf(config);

  return async ({ delivery, endpoint }) => {
    const ids = { deliveryId: delivery.id, webhookId: endpoint.id, eventId: delivery.eventId };
    try {
      // the heartbeat keeps the lease of a delivery this worker holds; if it has not lately (the
      // database was away, or another worker took the lease meanwhile), renew it and learn which
      if (delivery.leaseUntil.getTime() - Date.now() < leaseMs / 2) {
        if (!(await queue.renewLease(delivery))) return logger.info(ids, 'lease lost while queued; another worker has it');
      }
      // re-read right before sending (the job may have waited in a lane while the endpoint was
      // deleted or disabled, even disabled and re-enabled): from the send-state cache, so a
      // disable or delete made through another instance stops sends here within
      // WEBHOOK_STATE_CACHE_MS (1 s). Only a yes is taken from the cache: a no is confirmed by a
      // fresh read, so a delivery made for an epoch newer than the cached one is not failed.
      let state = await webhooks.sendState(endpoint.id);
      if (!sendable(state, delivery.webhookEpoch)) state = await webhooks.sendState(endpoint.id, { fresh: true });
      if (!state) return await queue.failWithoutAttempt(delivery, 'endpoint_deleted');
      if (!sendable(state, delivery.webhookEpoch)) return await queue.failWithoutAttempt(delivery, 'endpoint_disabled');
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
      const answeredAt = new Date();
      metrics.observe(result, delivery.dueAt, at);
      const outcome = attemptOutcome(policy, delivery, result, answeredAt);
      const { retryAfterMs: _retryAfter, ...attempt } = result;
      // batched with other attempts' records (see DeliveryQueue); resolves once stored, so the
      // heartbeat keeps the lease until then
      await queue.recordAttempt(delivery, { at, ...attempt }, outcome);
      const line = { ...ids, status: result.status, error: result.error, outcome: outcome.status, durationMs: result.durationMs };
      // successes are the bulk (hundreds a second): debug; failures are what operators look for
      if (outcome.status === 'succeeded') logger.debug(line, 'webhook attempt');
      else logger.info(line, 'webhook attempt');
      await health.afterAttempt(endpoint.id, outcome, result.status, at);
    } catch (error) {
      // the lease expires and another attempt follows; nothing is lost
      logger.error({ ...ids, err: error }, 'delivery attempt could not be completed');
    }
  };
}
