import { Schema, type Connection, type Model } from 'mongoose';

export type Tier = 'standard' | 'premium' | 'enterprise';
export type Permission = 'read' | 'read_write';

export interface Organisation {
  _id: string;
  name: string;
  tier: Tier;
  apiAccessEnabled: boolean;
  maxActiveKeys: number;
  /** maintained with conditional $inc so the maximum holds under concurrent key creation */
  activeKeyCount: number;
  /** browser origins allowed to call the API with this organisation's keys (CORS); empty: none */
  allowedOrigins?: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface Garage {
  _id: string;
  organisationId: string;
  name: string;
  phone?: string;
  email?: string;
  address?: { line1?: string; line2?: string; city?: string; postcode?: string; country?: string };
  timezone: string;
  currency: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApiKey {
  _id: string;
  organisationId: string;
  name: string;
  keyHash: string;
  prefix: string;
  permission: Permission;
  /** empty: every garage of the organisation */
  garageIds: string[];
  expiresAt?: Date | null;
  status: 'active' | 'revoked';
  revokedAt?: Date | null;
  lastUsedAt?: Date | null;
  /** set on the old key by a rotation */
  replacedBy?: string | null;
  /** counts towards the organisation's maximum; released exactly once (revoke, expiry, rotation) */
  holdsSlot: boolean;
  createdAt: Date;
}

export interface Models {
  Organisation: Model<Organisation>;
  Garage: Model<Garage>;
  ApiKey: Model<ApiKey>;
}

export function registerModels(connection: Connection): Models {
  const organisation = new Schema<Organisation>(
    {
      _id: { type: String, required: true },
      name: { type: String, required: true },
      tier: { type: String, enum: ['standard', 'premium', 'enterprise'], default: 'standard' },
      apiAccessEnabled: { type: Boolean, default: false },
      maxActiveKeys: { type: Number, default: 5 },
      activeKeyCount: { type: Number, default: 0 },
      allowedOrigins: { type: [String], default: [] },
    },
    { timestamps: true },
  );
  const garage = new Schema<Garage>(
    {
      _id: { type: String, required: true },
      organisationId: { type: String, required: true, index: true },
      name: { type: String, required: true },
      phone: String,
      email: String,
      address: { line1: String, line2: String, city: String, postcode: String, country: String },
      timezone: { type: String, required: true },
      currency: { type: String, required: true },
    },
    { timestamps: true },
  );
  const apiKey = new Schema<ApiKey>(
    {
      _id: { type: String, required: true },
      organisationId: { type: String, required: true, index: true },
      name: { type: String, required: true },
      keyHash: { type: String, required: true, unique: true },
      prefix: { type: String, required: true },
      permission: { type: String, enum: ['read', 'read_write'], required: true },
      garageIds: { type: [String], default: [] },
      expiresAt: Date,
      status: { type: String, enum: ['active', 'revoked'], default: 'active' },
      revokedAt: Date,
      lastUsedAt: Date,
      replacedBy: String,
      holdsSlot: { type: Boolean, default: true },
    },
    { timestamps: { createdAt: true, updatedAt: false } },
  );
  return {
    Organisation: connection.model<Organisation>('Organisation', organisation),
    Garage: connection.model<Garage>('Garage', garage),
    ApiKey: connection.model<ApiKey>('ApiKey', apiKey),
  };
}
