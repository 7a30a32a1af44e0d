import type { mongo } from 'mongoose';

import {
  bucketId,
  groupByOrganisationHour,
  hourDirectoryId,
  placeInBuckets,
  type AuditRow,
  type HourDirectory,
  type StoredRecord,
} from '../domain/audit-buckets';

interface Bucket {
  _id: string;
  r: AuditRow[];
}

/**
 * The audit viewer's buckets (`audit_buckets`, at most BUCKET_SIZE records each) and their hourly
 * directories (`audit_hours`). Every read is by exact `_id`; the `hour` index serves only the retention sweep.
 */
export class AuditBucketRepository {
  constructor(private readonly db: mongo.Db) {}

  private get hours(): mongo.Collection<HourDirectory> {
    return this.db.collection<HourDirectory>('audit_hours');
  }

  private get buckets(): mongo.Collection<Bucket> {
    return this.db.collection<Bucket>('audit_buckets');
  }

  async ensureIndexes(): Promise<void> {
    await this.hours.createIndex({ hour: 1 });
    await this.buckets.createIndex({ hour: 1 });
  }

  /**
   * Places a stored batch: per organisation and hour, one `$inc` on the directory reserves positions
   * (concurrent gateways get disjoint ones, so no bucket outgrows BUCKET_SIZE), then the records are pushed
   * into their buckets, then the buckets' summaries are counted in the directory.
   */
  async append(records: StoredRecord[]): Promise<void> {
    for (const group of groupByOrganisationHour(records)) {
      const id = hourDirectoryId(group.organisationId, group.hour);
      const reserved = await this.hours.findOneAndUpdate(
        { _id: id },
        { $inc: { n: group.records.length }, $setOnInsert: { organisationId: group.organisationId, hour: group.hour } as Partial<HourDirectory> },
        { upsert: true, returnDocument: 'after', projection: { n: 1 } },
      );
      const start = (reserved?.n ?? group.records.length) - group.records.length;
      const placed = placeInBuckets(group, start);
      await this.buckets.bulkWrite(
        [...placed].map(([index, bucket]) => ({
          updateOne: {
            filter: { _id: bucketId(group.organisationId, group.hour, index) },
            update: { $push: { r: { $each: bucket.records } }, $setOnInsert: { organisationId: group.organisationId, hour: group.hour } },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      const inc: Record<string, number> = {};
      for (const bucket of placed.values()) Object.assign(inc, bucket.inc);
      await this.hours.updateOne({ _id: id }, { $inc: inc });
    }
  }

  directories(organisationId: string, hours: Date[]): Promise<HourDirectory[]> {
    return this.hours
      .find({ _id: { $in: hours.map((hour) => hourDirectoryId(organisationId, hour)) } }, { projection: { n: 1, b: 1 } })
      .toArray();
  }

  async read(organisationId: string, wanted: { hour: Date; index: number }[]): Promise<Map<string, AuditRow[]>> {
    const ids = wanted.map(({ hour, index }) => bucketId(organisationId, hour, index));
    const found = await this.buckets.find({ _id: { $in: ids } }, { projection: { r: 1 } }).toArray();
    return new Map(found.map((bucket) => [bucket._id, bucket.r]));
  }

  async purgeBefore(cutoff: Date): Promise<void> {
    await this.buckets.deleteMany({ hour: { $lt: cutoff } });
    await this.hours.deleteMany({ hour: { $lt: cutoff } });
  }
}
