import { errors } from '@pitlane/core';

import type { WebhookDoc } from '../data-access/models';
import type { WebhooksRepository } from '../data-access/webhooks.repository';

export async function loadWebhook(webhooks: WebhooksRepository, garageId: string, id: string): Promise<WebhookDoc> {
  const doc = await webhooks.get(garageId, id);
  if (!doc) throw errors.notFound('Webhook');
  return doc;
}

/** Sending (a test event, a redelivery) needs an active subscription: re-enable it first. */
export async function loadActiveWebhook(webhooks: WebhooksRepository, garageId: string, id: string): Promise<WebhookDoc> {
  const doc = await loadWebhook(webhooks, garageId, id);
  if (doc.status !== 'active') {
    throw errors.conflict('WEBHOOK_DISABLED', 'The webhook is disabled; re-enable it with PATCH {"status": "active"} first.');
  }
  return doc;
}
