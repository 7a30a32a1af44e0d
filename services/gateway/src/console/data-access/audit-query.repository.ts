import type { mongo } from 'mongoose';

export interface AuditFilter {
  organisationId: string;
  keyId?: string;
  garageId?: string;
  status?: number;
  from?: Date;
  to?: Date;
}

export interface AuditRow {
  timestamp: Date;
  requestId: string;
  keyId: string | null;
  garageId: string | null;
  method: string;
  route: string;
  status: number;
  latencyMs: number;
  responseBytes: number;
  userAgent: string | null;
  clientIp: string | null;
  errorCode: string | null;
}

/** Reads the raw audit records the gateway writes (collection `audit_records`), and applies their retention. */
export class AuditQueryRepository {
  constructor(private readonly db: mongo.Db) {}

  private get records(): mongo.Collection {
    return this.db.collection('audit_records');
  }

  async page(filter: AuditFilter, skip: number, limit: number): Promise<{ items: AuditRow[]; total: number }> {
    const query: mongo.Filter<mongo.Document> = { organisationId: filter.organisationId };
    if (filter.keyId) query.keyId = filter.keyId;
    if (filter.garageId) query.garageId = filter.garageId;
    if (filter.status !== undefined) query.status = filter.status;
    if (filter.from || filter.to) {
      query.timestamp = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
    }
    const [items, total] = await Promise.all([
      this.records
        .find(query, { projection: { _id: 0, organisationId: 0 } })
        .sort({ timestamp: -1 })
        .skip(skip)
        .limit(limit)
        .toArray(),
      this.records.countDocuments(query),
    ]);
    return { items: items as unknown as AuditRow[], total };
  }

  async purgeBefore(cutoff: Date): Promise<void> {
    await this.records.deleteMany({ timestamp: { $lt: cutoff } });
  }
}
