import { errors } from '@pitlane/core';

import type { WebhooksRepository } from '../data-access/webhooks.repository';
import { generateSecret } from '../domain/signature';

/** A new signing secret; the previous one keeps signing next to it for `overlapMs`, so receivers
 * can switch without missing a delivery. */
export function rotateSecret(deps: { webhooks: WebhooksRepository; overlapMs: number }) {
  return async (garageId: string, id: string): Promise<{ secret: string; previousSecretExpiresAt: Date }> => {
    const secret = generateSecret();
    const rotated = await deps.webhooks.rotateSecret(garageId, id, secret, deps.overlapMs);
    if (!rotated) throw errors.notFound('Webhook');
    return { secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt };
  };
}
