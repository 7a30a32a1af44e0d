import { errors } from '@pitlane/core';

import type { ApiKey } from '../data-access/tenancy.model';
import { nowOf, type KeyLifecycleDeps } from './key-lifecycle';

/** Revokes an active key at once: its slot is freed and every gateway forgets it. */
export async function revokeApiKey(deps: KeyLifecycleDeps, keyId: string): Promise<ApiKey> {
  const revokedAt = nowOf(deps);
  const before = await deps.apiKeys.revoke(keyId, revokedAt);
  if (!before) throw errors.notFound('Active API key');
  await deps.apiKeys.releaseSlot(keyId);
  await deps.onKeyChanged(before.keyHash);
  return { ...before, status: 'revoked', revokedAt };
}
