import type { ApiKey, Models, Organisation } from './tenancy.model';

/** A key as it is first stored: what the use-case decided, before defaults and timestamps. */
export type NewApiKeyRecord = Pick<ApiKey, '_id' | 'organisationId' | 'name' | 'keyHash' | 'prefix' | 'permission' | 'garageIds'> &
  Pick<ApiKey, 'expiresAt'>;

/** What a rotation does to the old key: replaced now (revoked) or at the end of its grace period. */
export type Retirement =
  | { replacedBy: string; revokedAt: Date }
  | { replacedBy: string; expiresAt: Date };

/** API keys and the organisation's count of active keys: the only place that writes them. */
export class ApiKeyRepository {
  constructor(private readonly models: Models) {}

  findOrganisation(organisationId: string): Promise<Organisation | null> {
    return this.models.Organisation.findById(organisationId).lean<Organisation>().exec();
  }

  /** Counts one more active key if the organisation is below `maximum`; false when it is not. The
   * conditional $inc keeps the maximum exact under concurrent creation. */
  async takeSlot(organisationId: string, maximum: number): Promise<boolean> {
    const result = await this.models.Organisation.updateOne(
      { _id: organisationId, activeKeyCount: { $lt: maximum } },
      { $inc: { activeKeyCount: 1 } },
    );
    return result.modifiedCount === 1;
  }

  /** Undoes takeSlot when the key could not be stored after all. */
  async returnSlot(organisationId: string): Promise<void> {
    await this.models.Organisation.updateOne({ _id: organisationId }, { $inc: { activeKeyCount: -1 } });
  }

  /** Keys that expired on their own but still count towards the maximum. */
  async expiredSlotHolders(organisationId: string, now: Date): Promise<string[]> {
    const expired = await this.models.ApiKey.find(
      { organisationId, holdsSlot: true, expiresAt: { $lte: now } },
      { _id: 1 },
    ).lean<{ _id: string }[]>();
    return expired.map((key) => key._id);
  }

  /** The flag flip is conditional, so a slot is given back exactly once whoever races for it. A crash
   * between the two writes leaves the count one too high (never lets the maximum be exceeded). */
  async releaseSlot(keyId: string): Promise<boolean> {
    const before = await this.models.ApiKey.findOneAndUpdate(
      { _id: keyId, holdsSlot: true },
      { $set: { holdsSlot: false } },
      { returnDocument: 'before' },
    ).lean<ApiKey>();
    if (!before) return false;
    await this.returnSlot(before.organisationId);
    return true;
  }

  async insert(record: NewApiKeyRecord): Promise<ApiKey> {
    const created = await this.models.ApiKey.create({ ...record, status: 'active', holdsSlot: true });
    return created.toObject();
  }

  list(organisationId: string): Promise<ApiKey[]> {
    return this.models.ApiKey.find({ organisationId }).sort({ createdAt: 1 }).lean<ApiKey[]>().exec();
  }

  /** Revokes an active key; returns it as it was before, or null when there is no such active key. */
  revoke(keyId: string, at: Date): Promise<ApiKey | null> {
    return this.models.ApiKey.findOneAndUpdate(
      { _id: keyId, status: 'active' },
      { $set: { status: 'revoked', revokedAt: at } },
      { returnDocument: 'before' },
    ).lean<ApiKey>().exec();
  }

  /** An active key that has not been rotated already. */
  findRotatable(keyId: string): Promise<ApiKey | null> {
    return this.models.ApiKey.findOne({ _id: keyId, status: 'active', replacedBy: null }).lean<ApiKey>().exec();
  }

  /** The new key takes over the old one's slot, so the pair counts once. */
  async retire(keyId: string, retirement: Retirement): Promise<void> {
    const update = 'revokedAt' in retirement
      ? { replacedBy: retirement.replacedBy, holdsSlot: false, status: 'revoked', revokedAt: retirement.revokedAt }
      : { replacedBy: retirement.replacedBy, holdsSlot: false, expiresAt: retirement.expiresAt };
    await this.models.ApiKey.updateOne({ _id: keyId }, { $set: update });
  }
}
