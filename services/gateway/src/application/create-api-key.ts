import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';

import type { ApiKey, Permission } from '../data-access/tenancy.model';
import { displayPrefix, generateApiKey, hashApiKey } from '../domain/api-key';
import { nowOf, type KeyLifecycleDeps } from './key-lifecycle';

export interface NewKey {
  organisationId: string;
  name: string;
  permission: Permission;
  garageIds?: string[];
  expiresAt?: Date | null;
}

export interface CreatedKey {
  key: ApiKey;
  /** the only moment the raw key exists outside its owner's hands: shown once, never stored */
  rawKey: string;
}

/** A new key for an organisation, refused past its maximum of active keys (409 KEY_LIMIT_REACHED),
 * exactly even under concurrency. */
export async function createApiKey(deps: KeyLifecycleDeps, input: NewKey): Promise<CreatedKey> {
  await takeKeySlot(deps, input.organisationId);
  try {
    return await storeNewKey(deps, input);
  } catch (error) {
    await deps.apiKeys.returnSlot(input.organisationId);
    throw error;
  }
}

/** Stores a freshly generated key; the caller has accounted for its slot. */
export async function storeNewKey(deps: Pick<KeyLifecycleDeps, 'apiKeys'>, input: NewKey): Promise<CreatedKey> {
  const rawKey = generateApiKey();
  const key = await deps.apiKeys.insert({
    _id: `key_${randomUUID().replaceAll('-', '')}`,
    organisationId: input.organisationId,
    name: input.name,
    keyHash: hashApiKey(rawKey),
    prefix: displayPrefix(rawKey),
    permission: input.permission,
    garageIds: input.garageIds ?? [],
    expiresAt: input.expiresAt ?? null,
  });
  return { key, rawKey };
}

async function takeKeySlot(deps: KeyLifecycleDeps, organisationId: string): Promise<void> {
  const organisation = await deps.apiKeys.findOrganisation(organisationId);
  if (!organisation) throw errors.notFound('Organisation');
  const maximum = organisation.maxActiveKeys;
  if (await deps.apiKeys.takeSlot(organisationId, maximum)) return;
  // keys that expired on their own still hold their slots: release those once, then try again
  let released = 0;
  for (const keyId of await deps.apiKeys.expiredSlotHolders(organisationId, nowOf(deps))) {
    if (await deps.apiKeys.releaseSlot(keyId)) released++;
  }
  if (released > 0 && (await deps.apiKeys.takeSlot(organisationId, maximum))) return;
  throw errors.conflict('KEY_LIMIT_REACHED', `The organisation already has its maximum of ${maximum} active API keys.`);
}
