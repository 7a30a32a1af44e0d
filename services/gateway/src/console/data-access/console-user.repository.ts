import type { ConsoleModels, ConsoleSession, ConsoleUser } from './console-user.model';

/** Console users and their refresh-token sessions. */
export class ConsoleUserRepository {
  constructor(private readonly models: ConsoleModels) {}

  findByEmail(email: string): Promise<ConsoleUser | null> {
    return this.models.User.findOne({ email: email.toLowerCase() }).lean<ConsoleUser>().exec();
  }

  findById(id: string): Promise<ConsoleUser | null> {
    return this.models.User.findById(id).lean<ConsoleUser>().exec();
  }

  listByOrganisation(organisationId: string): Promise<ConsoleUser[]> {
    return this.models.User.find({ organisationId }).sort({ createdAt: 1 }).lean<ConsoleUser[]>().exec();
  }

  /** Throws a duplicate-key error (11000) when the email is taken. */
  async insert(user: Omit<ConsoleUser, 'createdAt' | 'updatedAt'>): Promise<ConsoleUser> {
    return (await this.models.User.create(user)).toObject();
  }

  async setPassword(id: string, passwordHash: string, mustChangePassword: boolean): Promise<void> {
    await this.models.User.updateOne({ _id: id }, { $set: { passwordHash, mustChangePassword } });
  }

  async insertSession(session: Omit<ConsoleSession, 'createdAt' | 'usedAt' | 'revokedAt'>): Promise<void> {
    await this.models.Session.create({ ...session, usedAt: null, revokedAt: null });
  }

  findSession(id: string): Promise<ConsoleSession | null> {
    return this.models.Session.findById(id).lean<ConsoleSession>().exec();
  }

  /** Marks a token used, once: false when someone else used it first (a replay). */
  async useSession(id: string, now: Date): Promise<boolean> {
    const result = await this.models.Session.updateOne({ _id: id, usedAt: null, revokedAt: null }, { $set: { usedAt: now } });
    return result.modifiedCount === 1;
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.models.Session.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: now } });
  }

  async revokeAllOf(userId: string, now: Date): Promise<void> {
    await this.models.Session.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: now } });
  }
}
