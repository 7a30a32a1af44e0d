import type { Logger } from '@pitlane/core';

import type { WebhookSecretsRepository } from '../data-access/webhook-secrets.repository';

/**
 * At start: moves every signing secret to the current key (plain text from earlier releases,
 * the old unnamed-key format, keys being rotated out). Idempotent and safe on several instances
 * at once; logs counts and ids, never a secret.
 */
export function resealSecrets(deps: { secrets: WebhookSecretsRepository; logger: Logger; currentKeyId: string }) {
  return async (): Promise<{ resealed: number; unreadable: string[] }> => {
    const result = await deps.secrets.resealAll();
    if (result.resealed > 0) deps.logger.info({ resealed: result.resealed, keyId: deps.currentKeyId }, 'webhook secrets re-sealed with the current key');
    if (result.unreadable.length > 0) {
      // their key was removed from WEBHOOK_SECRETS_KEYS too early: these endpoints cannot be signed for
      deps.logger.error({ webhookIds: result.unreadable }, 'webhook secrets that no configured key opens');
    }
    return result;
  };
}
