import type { Tenant, WebhookInput, WebhooksRepository } from '../data-access/webhooks.repository';
import type { WebhookDoc } from '../data-access/models';
import { generateSecret } from '../domain/signature';

/** A new subscription with a fresh signing secret, returned this once (never shown again). */
export function subscribeWebhook(deps: { webhooks: WebhooksRepository }) {
  return async (tenant: Tenant, input: WebhookInput): Promise<{ webhook: WebhookDoc; secret: string }> => {
    const secret = generateSecret();
    const webhook = await deps.webhooks.create(tenant, input, secret);
    return { webhook, secret };
  };
}
