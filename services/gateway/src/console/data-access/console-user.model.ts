import { Schema, type Connection, type Model } from 'mongoose';

import type { Role } from '../domain/roles';

export interface ConsoleUser {
  _id: string;
  organisationId: string;
  /** lower-cased; unique across organisations (a user belongs to one) */
  email: string;
  role: Role;
  /** argon2id, PHC string format; never logged or returned */
  passwordHash: string;
  /** set for one-time passwords (CLI, invitations) until the user chooses their own */
  mustChangePassword: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** One refresh token; tokens rotated from one login share a family, so the reuse of an old one can revoke them all. */
export interface ConsoleSession {
  _id: string; // SHA-256 of the token
  familyId: string;
  userId: string;
  organisationId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface ConsoleModels {
  User: Model<ConsoleUser>;
  Session: Model<ConsoleSession>;
}

/** Idempotent per connection: the admin CLI, the gateway and tests may all ask for the models. */
export function registerConsoleModels(connection: Connection): ConsoleModels {
  const existing = connection.models as Partial<Record<string, unknown>>;
  if (existing.ConsoleUser && existing.ConsoleSession) {
    return { User: existing.ConsoleUser as Model<ConsoleUser>, Session: existing.ConsoleSession as Model<ConsoleSession> };
  }
  const user = new Schema<ConsoleUser>(
    {
      _id: { type: String, required: true },
      organisationId: { type: String, required: true, index: true },
      email: { type: String, required: true, unique: true },
      role: { type: String, enum: ['owner', 'admin', 'viewer'], required: true },
      passwordHash: { type: String, required: true },
      mustChangePassword: { type: Boolean, default: false },
    },
    { timestamps: true, collection: 'console_users' },
  );
  const session = new Schema<ConsoleSession>(
    {
      _id: { type: String, required: true },
      familyId: { type: String, required: true, index: true },
      userId: { type: String, required: true, index: true },
      organisationId: { type: String, required: true },
      expiresAt: { type: Date, required: true },
      usedAt: { type: Date, default: null },
      revokedAt: { type: Date, default: null },
    },
    { timestamps: { createdAt: true, updatedAt: false }, collection: 'console_sessions' },
  );
  return {
    User: connection.model<ConsoleUser>('ConsoleUser', user),
    Session: connection.model<ConsoleSession>('ConsoleSession', session),
  };
}
