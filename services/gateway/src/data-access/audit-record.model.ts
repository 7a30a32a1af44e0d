import { Schema, type Connection, type Model } from 'mongoose';

/** One line per API request: who, what, how it went. Read later by the usage dashboard. */
export interface AuditRecord {
  timestamp: Date;
  requestId: string;
  keyId: string | null;
  organisationId: string | null;
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

export function registerAuditModel(connection: Connection): Model<AuditRecord> {
  const schema = new Schema<AuditRecord>(
    {
      timestamp: { type: Date, required: true },
      requestId: String,
      keyId: String,
      organisationId: String,
      garageId: String,
      method: String,
      route: String,
      status: Number,
      latencyMs: Number,
      responseBytes: Number,
      userAgent: String,
      clientIp: String,
      errorCode: String,
    },
    { versionKey: false, collection: 'audit_records' },
  );
  schema.index({ keyId: 1, timestamp: -1 });
  schema.index({ organisationId: 1, timestamp: -1 });
  return connection.model<AuditRecord>('AuditRecord', schema);
}
