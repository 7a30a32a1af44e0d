import type { ApiKey, Garage, Models, Organisation } from './tenancy.model';

export type OrganisationInput = Pick<Organisation, '_id' | 'name'> & Partial<Omit<Organisation, 'activeKeyCount'>>;
export type GarageInput = Pick<Garage, '_id' | 'organisationId' | 'name' | 'timezone' | 'currency'> & Partial<Garage>;

/** Gateway-owned tenancy data: the only place that queries organisations, garages and keys. */
export class TenancyRepository {
  /** garages change rarely and are read on every proxied request */
  private readonly garages = new Map<string, { garage: Garage | null; expiresAt: number }>();

  constructor(
    private readonly models: Models,
    private readonly garageCacheMs = 10_000,
  ) {}

  findKeyByHash(keyHash: string): Promise<ApiKey | null> {
    return this.models.ApiKey.findOne({ keyHash }).lean<ApiKey>().exec();
  }

  findOrganisation(id: string): Promise<Organisation | null> {
    return this.models.Organisation.findById(id).lean<Organisation>().exec();
  }

  /** Garages the key may see: its organisation's, narrowed to the key's subset when it has one. */
  accessibleGarages(key: Pick<ApiKey, 'organisationId' | 'garageIds'>): Promise<Garage[]> {
    const filter: Record<string, unknown> = { organisationId: key.organisationId };
    if (key.garageIds.length > 0) filter._id = { $in: key.garageIds };
    return this.models.Garage.find(filter).sort({ name: 1 }).lean<Garage[]>().exec();
  }

  /** null when the garage does not exist or is outside the key's scope: the caller answers 404 either way. */
  async accessibleGarage(key: Pick<ApiKey, 'organisationId' | 'garageIds'>, garageId: string): Promise<Garage | null> {
    if (key.garageIds.length > 0 && !key.garageIds.includes(garageId)) return null;
    const garage = await this.findGarage(garageId);
    return garage && garage.organisationId === key.organisationId ? garage : null;
  }

  private async findGarage(garageId: string): Promise<Garage | null> {
    const cached = this.garages.get(garageId);
    if (cached && cached.expiresAt > Date.now()) return cached.garage;
    const garage = await this.models.Garage.findById(garageId).lean<Garage>().exec();
    if (this.garages.size > 10_000) this.garages.clear();
    this.garages.set(garageId, { garage, expiresAt: Date.now() + this.garageCacheMs });
    return garage;
  }

  /** Creates or updates an organisation; its count of active keys is the key lifecycle's alone. */
  async upsertOrganisation(org: OrganisationInput): Promise<void> {
    await this.models.Organisation.updateOne({ _id: org._id }, { $set: org, $setOnInsert: { activeKeyCount: 0 } }, { upsert: true });
  }

  async upsertGarage(garage: GarageInput): Promise<void> {
    await this.models.Garage.updateOne({ _id: garage._id }, { $set: garage }, { upsert: true });
    this.garages.delete(garage._id);
  }

  /** Every origin some organisation allows: enough to answer a CORS preflight, which carries no key. */
  allAllowedOrigins(): Promise<string[]> {
    return this.models.Organisation.distinct('allowedOrigins').exec();
  }

  /** Replaces the organisation's CORS origins; false when there is no such organisation. */
  async setAllowedOrigins(organisationId: string, origins: string[]): Promise<boolean> {
    const result = await this.models.Organisation.updateOne({ _id: organisationId }, { $set: { allowedOrigins: origins } }).exec();
    return result.matchedCount === 1;
  }

  /** At most one write a minute per key; never on the request's critical path. */
  async touchKey(keyId: string, now = new Date()): Promise<void> {
    await this.models.ApiKey.updateOne(
      { _id: keyId, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: new Date(now.getTime() - 60_000) } }] },
      { $set: { lastUsedAt: now } },
    );
  }
}
