import type { mongo } from 'mongoose';

/** The raw audit records the gateway writes (collection `audit_records`): the console applies their
 * retention. The viewer reads its own copy in buckets (audit-bucket.repository.ts), never this collection. */
export class AuditQueryRepository {
  constructor(private readonly db: mongo.Db) {}

  async purgeBefore(cutoff: Date): Promise<void> {
    await this.db.collection('audit_records').deleteMany({ timestamp: { $lt: cutoff } });
  }
}
