import { errors } from '@pitlane/core';

import { storeNewKey, type CreatedKey } from './create-api-key';
import { nowOf, type KeyLifecycleDeps } from './key-lifecycle';

/** A new key with the same settings; the old one is revoked now, or expires after the grace period
 * (both work meanwhile). The pair counts as one active key: the new key takes over the old one's slot. */
export async function rotateApiKey(
  deps: KeyLifecycleDeps,
  keyId: string,
  graceSeconds = 0,
): Promise<CreatedKey & { oldKeyExpiresAt: Date }> {
  const old = await deps.apiKeys.findRotatable(keyId);
  if (!old) throw errors.notFound('Active API key');
  const created = await storeNewKey(deps, {
    organisationId: old.organisationId,
    name: old.name,
    permission: old.permission,
    garageIds: old.garageIds,
    expiresAt: old.expiresAt ?? null,
  });
  const oldKeyExpiresAt = new Date(nowOf(deps).getTime() + graceSeconds * 1000);
  await deps.apiKeys.retire(
    keyId,
    graceSeconds > 0
      ? { replacedBy: created.key._id, expiresAt: oldKeyExpiresAt }
      : { replacedBy: created.key._id, revokedAt: oldKeyExpiresAt },
  );
  await deps.onKeyChanged(old.keyHash);
  return { ...created, oldKeyExpiresAt };
}
