import { errors } from '@pitlane/core';

import type { ApiKey, Organisation, Permission } from '../../data-access/tenancy.model';
import type { Provisioning } from '../../application/provisioning';
import type { TenancyRepository } from '../../data-access/tenancy.repository';

export interface KeyDeps {
  provisioning: Provisioning;
  tenancy: TenancyRepository;
}

/** A key as the console shows it: masked prefix, never the hash. */
export function consoleKeyView(key: ApiKey, now = new Date()) {
  const expired = key.status === 'active' && key.expiresAt != null && new Date(key.expiresAt) <= now;
  return {
    id: key._id,
    name: key.name,
    prefix: key.prefix,
    permission: key.permission,
    garageIds: key.garageIds,
    expiresAt: key.expiresAt ?? null,
    status: expired ? 'expired' : key.status,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt ?? null,
    revokedAt: key.revokedAt ?? null,
    replacedBy: key.replacedBy ?? null,
  };
}

/** Keys are the paid add-on: an organisation without it can log in but not touch keys (402). */
async function organisationWithApiAccess(tenancy: TenancyRepository, organisationId: string): Promise<Organisation> {
  const organisation = await tenancy.findOrganisation(organisationId);
  if (!organisation) throw errors.notFound('Organisation');
  if (!organisation.apiAccessEnabled) {
    throw errors.paymentRequired('API access is a paid add-on that is not enabled for this organisation.');
  }
  return organisation;
}

/** Another organisation's key reads as missing, never as forbidden. */
async function ownKey(deps: KeyDeps, organisationId: string, keyId: string): Promise<ApiKey> {
  const key = (await deps.provisioning.listKeys(organisationId)).find((candidate) => candidate._id === keyId);
  if (!key) throw errors.notFound('API key');
  return key;
}

export async function listConsoleKeys(deps: KeyDeps, organisationId: string) {
  const organisation = await organisationWithApiAccess(deps.tenancy, organisationId);
  const keys = await deps.provisioning.listKeys(organisationId);
  return { keys, activeKeys: organisation.activeKeyCount, maxActiveKeys: organisation.maxActiveKeys };
}

export async function createConsoleKey(
  deps: KeyDeps,
  organisationId: string,
  input: { name: string; permission: Permission; garageIds?: string[] | undefined; expiresAt?: Date | undefined },
) {
  await organisationWithApiAccess(deps.tenancy, organisationId);
  if (input.expiresAt && input.expiresAt <= new Date()) {
    throw errors.validation('The request body is invalid.', [{ field: 'expiresAt', message: 'must be in the future' }]);
  }
  const garageIds = [...new Set(input.garageIds ?? [])];
  if (garageIds.length > 0) {
    const own = new Set((await deps.tenancy.accessibleGarages({ organisationId, garageIds: [] })).map((g) => g._id));
    const unknown = garageIds.filter((id) => !own.has(id));
    if (unknown.length > 0) {
      throw errors.validation('The request body is invalid.', [{ field: 'garageIds', message: `unknown garage(s): ${unknown.join(', ')}` }]);
    }
  }
  const { key, rawKey } = await deps.provisioning.createKey({
    organisationId,
    name: input.name,
    permission: input.permission,
    garageIds,
    expiresAt: input.expiresAt ?? null,
  });
  return { key: consoleKeyView(key), rawKey };
}

export async function rotateConsoleKey(deps: KeyDeps, organisationId: string, keyId: string, graceSeconds: number) {
  await organisationWithApiAccess(deps.tenancy, organisationId);
  await ownKey(deps, organisationId, keyId);
  const rotated = await deps.provisioning.rotateKey(keyId, graceSeconds);
  return { key: consoleKeyView(rotated.key), rawKey: rotated.rawKey, oldKeyExpiresAt: rotated.oldKeyExpiresAt };
}

export async function revokeConsoleKey(deps: KeyDeps, organisationId: string, keyId: string) {
  await organisationWithApiAccess(deps.tenancy, organisationId);
  await ownKey(deps, organisationId, keyId);
  return consoleKeyView(await deps.provisioning.revokeKey(keyId));
}
