import type { UsageRecord } from './usage-increments';
import { fieldName, hourOf, HOUR_MS } from './usage-keys';

/**
 * The audit log viewer's read model: raw records in buckets of at most BUCKET_SIZE per organisation and
 * hour, found through one small directory document per organisation and hour that says, per bucket,
 * which keys, garages and statuses it holds. A filtered page reads directory documents and only the
 * buckets that can match, all by exact `_id` (the stand-in's only index; on MongoDB the primary index).
 */
export const BUCKET_SIZE = 200;

export function hourDirectoryId(organisationId: string, hour: Date): string {
  return `${organisationId}|${hour.toISOString()}`;
}

export function bucketId(organisationId: string, hour: Date, index: number): string {
  return `${hourDirectoryId(organisationId, hour)}|${index}`;
}

/** What a bucket holds, per filterable field: value (escaped, see fieldName) → count. */
export interface BucketSummary {
  k?: Record<string, number>;
  g?: Record<string, number>;
  s?: Record<string, number>;
}

export interface HourDirectory {
  _id: string;
  /** records placed in this hour so far: bucket i holds positions [i·BUCKET_SIZE, (i+1)·BUCKET_SIZE) */
  n: number;
  b?: Record<string, BucketSummary>;
}

/** An audit record as the gateway stores it. */
export type StoredRecord = UsageRecord & { requestId: string };

/** An audit record as the viewer shows it (the organisation is implied by the bucket). */
export type AuditRow = Omit<StoredRecord, 'organisationId'>;

export interface AuditFilter {
  keyId?: string | undefined;
  garageId?: string | undefined;
  status?: number | undefined;
  /** inclusive */
  from?: Date | undefined;
  /** exclusive */
  to?: Date | undefined;
}

export const keyField = (keyId: string | null) => fieldName(keyId ?? '-');
export const garageField = (garageId: string | null) => fieldName(garageId ?? '-');

/** Records of one organisation and hour, in the order the gateway stored them. */
export interface HourGroup {
  organisationId: string;
  hour: Date;
  records: AuditRow[];
}

export function groupByOrganisationHour(records: StoredRecord[]): HourGroup[] {
  const groups = new Map<string, HourGroup>();
  for (const { organisationId, ...row } of records) {
    if (!organisationId) continue;
    const hour = hourOf(new Date(row.timestamp));
    const id = hourDirectoryId(organisationId, hour);
    const group = groups.get(id) ?? { organisationId, hour, records: [] };
    group.records.push({ ...row, timestamp: new Date(row.timestamp) });
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** Splits a group whose first record takes position `start` into per-bucket records and summary counters. */
export function placeInBuckets(group: HourGroup, start: number) {
  const buckets = new Map<number, { records: AuditRow[]; inc: Record<string, number> }>();
  group.records.forEach((record, i) => {
    const index = Math.floor((start + i) / BUCKET_SIZE);
    const bucket = buckets.get(index) ?? { records: [], inc: {} };
    bucket.records.push(record);
    for (const field of [`k.${keyField(record.keyId)}`, `g.${garageField(record.garageId)}`, `s.${record.status}`]) {
      const path = `b.${index}.${field}`;
      bucket.inc[path] = (bucket.inc[path] ?? 0) + 1;
    }
    buckets.set(index, bucket);
  });
  return buckets;
}

/** An upper bound of the bucket's matches from its per-field counts (0: skip it without reading it). */
export function possibleMatches(summary: BucketSummary | undefined, filter: AuditFilter): number {
  if (!summary) return 0;
  const counts = [Object.values(summary.s ?? {}).reduce((a, b) => a + b, 0)];
  if (filter.keyId !== undefined) counts.push(summary.k?.[keyField(filter.keyId)] ?? 0);
  if (filter.garageId !== undefined) counts.push(summary.g?.[garageField(filter.garageId)] ?? 0);
  if (filter.status !== undefined) counts.push(summary.s?.[String(filter.status)] ?? 0);
  return Math.min(...counts);
}

export function matches(row: AuditRow, filter: AuditFilter): boolean {
  const at = row.timestamp.getTime();
  return (filter.keyId === undefined || row.keyId === filter.keyId)
    && (filter.garageId === undefined || row.garageId === filter.garageId)
    && (filter.status === undefined || row.status === filter.status)
    && (filter.from === undefined || at >= filter.from.getTime())
    && (filter.to === undefined || at < filter.to.getTime());
}

/** Newest first inside a bucket; the request id breaks ties, so the order (and a cursor) is total. */
export function newestFirst(a: AuditRow, b: AuditRow): number {
  return b.timestamp.getTime() - a.timestamp.getTime() || (a.requestId < b.requestId ? 1 : a.requestId > b.requestId ? -1 : 0);
}

/** Where the previous page ended: the hour and bucket, and the last record shown in it. */
export interface AuditCursor {
  hour: Date;
  bucket: number;
  timestamp: Date;
  requestId: string;
}

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.hour.getTime(), cursor.bucket, cursor.timestamp.getTime(), cursor.requestId])).toString('base64url');
}

/** `undefined` for anything that is not a cursor this module wrote (the route answers 400). */
export function decodeCursor(text: string): AuditCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 4) return undefined;
    const [hour, bucket, timestamp, requestId] = value as unknown[];
    if (!Number.isSafeInteger(hour) || (hour as number) % HOUR_MS !== 0 || !Number.isSafeInteger(bucket) || (bucket as number) < 0) return undefined;
    if (!Number.isSafeInteger(timestamp) || typeof requestId !== 'string') return undefined;
    return { hour: new Date(hour as number), bucket: bucket as number, timestamp: new Date(timestamp as number), requestId };
  } catch {
    return undefined;
  }
}

/** After the cursor's record in the page order (strictly older, or as old with a smaller request id). */
export function isAfter(row: AuditRow, cursor: AuditCursor): boolean {
  return newestFirst(row, { ...row, timestamp: cursor.timestamp, requestId: cursor.requestId }) > 0;
}
