import { Schema, type Connection } from 'mongoose';

/** One per garage (_id = garageId), next to its schedule: settings bookings owns. Absent until the first
 * PUT /settings, when the defaults in domain/settings.ts apply. */
const garageSettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** basis points charged on a part whose inventory item carries no tax rate */
    defaultPartsTaxRate: { type: Number, required: true },
  },
  { timestamps: true, versionKey: false },
);

export interface GarageSettingsDoc {
  _id: string;
  defaultPartsTaxRate: number;
}

export function registerGarageSettingsModel(connection: Connection) {
  return connection.model<GarageSettingsDoc>('GarageSettings', garageSettingsSchema, 'garage_settings');
}
