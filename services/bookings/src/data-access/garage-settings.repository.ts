import { defaultSettings, type GarageSettings } from '../domain/settings';
import type { Models } from './models';

/** The garage's own settings (one document per garage). */
export class GarageSettingsRepository {
  constructor(private readonly models: Pick<Models, 'GarageSettings'>) {}

  async load(garageId: string): Promise<GarageSettings> {
    const stored = await this.models.GarageSettings.findById(garageId).lean();
    return stored ? { defaultPartsTaxRate: stored.defaultPartsTaxRate } : defaultSettings;
  }

  async save(garageId: string, settings: GarageSettings): Promise<GarageSettings> {
    await this.models.GarageSettings.updateOne({ _id: garageId }, { $set: settings }, { upsert: true });
    return this.load(garageId);
  }
}
