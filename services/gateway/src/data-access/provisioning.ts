import { randomUUID } from 'node:crypto';

import { displayPrefix, generateApiKey, hashApiKey } from '../domain/api-key';
import type { ApiKey, Garage, Models, Organisation, Permission } from './models';

/** Creates tenancy records (used by the demo seed and by tests until the admin API exists). */
export class Provisioning {
  constructor(private readonly models: Models) {}

  async upsertOrganisation(org: Pick<Organisation, '_id' | 'name'> & Partial<Organisation>): Promise<void> {
    await this.models.Organisation.updateOne({ _id: org._id }, { $set: org }, { upsert: true });
  }

  async upsertGarage(garage: Pick<Garage, '_id' | 'organisationId' | 'name' | 'timezone' | 'currency'> & Partial<Garage>): Promise<void> {
    await this.models.Garage.updateOne({ _id: garage._id }, { $set: garage }, { upsert: true });
  }

  /** Returns the raw key: the only moment it exists outside the caller's hands. */
  async createKey(input: {
    organisationId: string;
    name: string;
    permission: Permission;
    garageIds?: string[];
    expiresAt?: Date;
  }): Promise<{ key: ApiKey; rawKey: string }> {
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
    });
    return { key: created.toObject(), rawKey };
  }

  async revokeKeysNamed(organisationId: string, name: string): Promise<number> {
    const result = await this.models.ApiKey.updateMany(
      { organisationId, name, status: 'active' },
      { $set: { status: 'revoked', revokedAt: new Date() } },
    );
    return result.modifiedCount;
  }
}
