import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';

import { displayPrefix, generateApiKey, hashApiKey } from '../domain/api-key';
import type { ApiKey, Garage, Models, Organisation, Permission } from './models';

export interface NewKey {
  organisationId: string;
  name: string;
  permission: Permission;
  garageIds?: string[];
  expiresAt?: Date | null;
}

/** Organisations, garages and the key lifecycle (used by the admin CLI, the demo seed and tests).
 * `onKeyChanged` is told the hash of every revoked key, to broadcast to the gateways' caches. */
export class Provisioning {
  constructor(
    private readonly models: Models,
    private readonly onKeyChanged: (keyHash: string) => Promise<void> = () => Promise.resolve(),
  ) {}

  async upsertOrganisation(org: Pick<Organisation, '_id' | 'name'> & Partial<Omit<Organisation, 'activeKeyCount'>>): Promise<void> {
    await this.models.Organisation.updateOne(
      { _id: org._id },
      { $set: org, $setOnInsert: { activeKeyCount: 0 } },
      { upsert: true },
    );
    await this.onKeyChanged('*'); // tier or add-on may have changed
  }

  async upsertGarage(garage: Pick<Garage, '_id' | 'organisationId' | 'name' | 'timezone' | 'currency'> & Partial<Garage>): Promise<void> {
    await this.models.Garage.updateOne({ _id: garage._id }, { $set: garage }, { upsert: true });
  }

  /** Returns the raw key: the only moment it exists outside the caller's hands. Refuses past the
   * organisation's maximum of active keys (409 KEY_LIMIT_REACHED), exactly even under concurrency. */
  async createKey(input: NewKey): Promise<{ key: ApiKey; rawKey: string }> {
    await this.takeKeySlot(input.organisationId);
    try {
      return await this.insertKey(input);
    } catch (error) {
      await this.models.Organisation.updateOne({ _id: input.organisationId }, { $inc: { activeKeyCount: -1 } });
      throw error;
    }
  }

  listKeys(organisationId: string): Promise<ApiKey[]> {
    return this.models.ApiKey.find({ organisationId }).sort({ createdAt: 1 }).lean<ApiKey[]>().exec();
  }

  async revokeKey(keyId: string): Promise<ApiKey> {
    const before = await this.models.ApiKey.findOneAndUpdate(
      { _id: keyId, status: 'active' },
      { $set: { status: 'revoked', revokedAt: new Date() } },
      { returnDocument: 'before' },
    ).lean<ApiKey>();
    if (!before) throw errors.notFound('Active API key');
    await this.releaseSlot(keyId);
    await this.onKeyChanged(before.keyHash);
    return { ...before, status: 'revoked' };
  }

  /** A new key with the same settings; the old one is revoked now, or expires after the grace period
   * (both work meanwhile). The pair counts as one active key. */
  async rotateKey(keyId: string, graceSeconds = 0): Promise<{ key: ApiKey; rawKey: string; oldKeyExpiresAt: Date }> {
    const old = await this.models.ApiKey.findOne({ _id: keyId, status: 'active', replacedBy: null }).lean<ApiKey>();
    if (!old) throw errors.notFound('Active API key');
    const created = await this.insertKey({
      organisationId: old.organisationId,
      name: old.name,
      permission: old.permission,
      garageIds: old.garageIds,
      expiresAt: old.expiresAt ?? null,
    });
    const oldKeyExpiresAt = new Date(Date.now() + graceSeconds * 1000);
    // the new key takes over the old one's slot, so the pair counts once
    const retire = graceSeconds > 0
      ? { replacedBy: created.key._id, holdsSlot: false, expiresAt: oldKeyExpiresAt }
      : { replacedBy: created.key._id, holdsSlot: false, status: 'revoked', revokedAt: oldKeyExpiresAt };
    await this.models.ApiKey.updateOne({ _id: keyId }, { $set: retire });
    await this.onKeyChanged(old.keyHash);
    return { ...created, oldKeyExpiresAt };
  }

  private async takeKeySlot(organisationId: string): Promise<void> {
    const organisation = await this.models.Organisation.findById(organisationId).lean<Organisation>();
    if (!organisation) throw errors.notFound('Organisation');
    const take = () =>
      this.models.Organisation.updateOne(
        { _id: organisationId, activeKeyCount: { $lt: organisation.maxActiveKeys } },
        { $inc: { activeKeyCount: 1 } },
      );
    if ((await take()).modifiedCount === 1) return;
    // keys that expired on their own still hold their slots: release those once, then try again
    if ((await this.releaseExpiredSlots(organisationId)) > 0 && (await take()).modifiedCount === 1) return;
    throw errors.conflict(
      'KEY_LIMIT_REACHED',
      `The organisation already has its maximum of ${organisation.maxActiveKeys} active API keys.`,
    );
  }

  private async releaseExpiredSlots(organisationId: string): Promise<number> {
    const expired = await this.models.ApiKey.find(
      { organisationId, holdsSlot: true, expiresAt: { $lte: new Date() } },
      { _id: 1 },
    ).lean<{ _id: string }[]>();
    let released = 0;
    for (const key of expired) released += (await this.releaseSlot(key._id)) ? 1 : 0;
    return released;
  }

  /** The flag flip is conditional, so a slot is given back exactly once whoever races for it. A crash
   * between the two writes leaves the count one too high (never lets the maximum be exceeded). */
  private async releaseSlot(keyId: string): Promise<boolean> {
    const before = await this.models.ApiKey.findOneAndUpdate(
      { _id: keyId, holdsSlot: true },
      { $set: { holdsSlot: false } },
      { returnDocument: 'before' },
    ).lean<ApiKey>();
    if (!before) return false;
    await this.models.Organisation.updateOne({ _id: before.organisationId }, { $inc: { activeKeyCount: -1 } });
    return true;
  }

  private async insertKey(input: NewKey): Promise<{ key: ApiKey; rawKey: string }> {
    const rawKey = generateApiKey();
    const created = await this.models.ApiKey.create({
      _id: `key_${randomUUID().replaceAll('-', '')}`,
      organisationId: input.organisationId,
      name: input.name,
      keyHash: hashApiKey(rawKey),
      prefix: displayPrefix(rawKey),
      permission: input.permission,
      garageIds: input.garageIds ?? [],
      expiresAt: input.expiresAt ?? null,
      status: 'active',
      holdsSlot: true,
    });
    return { key: created.toObject(), rawKey };
  }
}
