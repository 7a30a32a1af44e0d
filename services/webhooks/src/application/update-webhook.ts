import { errors } from '@pitlane/core';

import type { WebhookDoc } from '../data-access/models';
import type { WebhookInput, WebhooksRepository } from '../data-access/webhooks.repository';

export type WebhookChanges = Partial<WebhookInput> & { status?: 'active' | 'disabled' };

/** Changes a subscription; `status` disables it (a new epoch: nothing pending is sent by itself)
 * or re-enables it with a clean failure record (see WebhooksRepository.update). */
export function updateWebhook(deps: { webhooks: WebhooksRepository }) {
  return async (garageId: string, id: string, changes: WebhookChanges): Promise<WebhookDoc> => {
    const updated = await deps.webhooks.update(garageId, id, changes);
    if (!updated) throw errors.notFound('Webhook');
    return updated;
  };
}

export function deleteWebhook(deps: { webhooks: WebhooksRepository }) {
  return async (garageId: string, id: string): Promise<void> => {
    if (!(await deps.webhooks.delete(garageId, id))) throw errors.notFound('Webhook');
  };
}
