import type { AuditBucketRepository } from '../data-access/audit-bucket.repository';
import {
  bucketId,
  BUCKET_SIZE,
  encodeCursor,
  hourDirectoryId,
  isAfter,
  matches,
  newestFirst,
  possibleMatches,
  type AuditCursor,
  type AuditFilter,
  type AuditRow,
} from '../domain/audit-buckets';
import { hourOf, HOUR_MS } from '../domain/usage-keys';

/** Directory documents per read: two days of hours. */
const HOURS_PER_READ = 48;
/** Buckets per read, and the most one page reads (a rare filter over a long range answers a partial page
 * with a cursor rather than reading every bucket in one request). */
const BUCKETS_PER_READ = 4;
export const MAX_BUCKETS_PER_PAGE = 40;
/** A cursor that resumes at the start of a bucket (every record of it comes "after"). */
const BUCKET_START = { timestamp: new Date(8.64e15), requestId: '' };

interface Candidate {
  hour: Date;
  index: number;
}

/**
 * One page of the audit log viewer, newest first: walks the organisation's hourly directories back from
 * the newest hour of the range (or the cursor) and reads only the buckets whose summaries can match the
 * filter. `from` is required: the route passes the raw-record retention when the user gives no date.
 */
export async function auditPage(
  buckets: Pick<AuditBucketRepository, 'directories' | 'read'>,
  organisationId: string,
  filter: AuditFilter & { from: Date },
  limit: number,
  cursor?: AuditCursor,
  now = new Date(),
): Promise<{ items: AuditRow[]; limit: number; nextCursor: string | null }> {
  const end = Math.min(now.getTime(), (filter.to?.getTime() ?? Infinity) - 1);
  const newest = cursor ? cursor.hour.getTime() : hourOf(new Date(end)).getTime();
  const oldest = hourOf(filter.from).getTime();
  const items: AuditRow[] = [];
  let position: AuditCursor | undefined;
  let bucketsRead = 0;

  for (let chunk = newest; chunk >= oldest; chunk -= HOURS_PER_READ * HOUR_MS) {
    const hours: Date[] = [];
    for (let at = chunk; at > chunk - HOURS_PER_READ * HOUR_MS && at >= oldest; at -= HOUR_MS) hours.push(new Date(at));
    const directories = new Map((await buckets.directories(organisationId, hours)).map((d) => [d._id, d]));
    const candidates: Candidate[] = [];
    for (const hour of hours) {
      const directory = directories.get(hourDirectoryId(organisationId, hour));
      if (!directory || directory.n === 0) continue;
      const top = Math.floor((directory.n - 1) / BUCKET_SIZE);
      const first = cursor && hour.getTime() === cursor.hour.getTime() ? Math.min(cursor.bucket, top) : top;
      for (let index = first; index >= 0; index--) {
        if (possibleMatches(directory.b?.[String(index)], filter) > 0) candidates.push({ hour, index });
      }
    }
    for (let i = 0; i < candidates.length; i += BUCKETS_PER_READ) {
      if (bucketsRead >= MAX_BUCKETS_PER_PAGE) {
        const resume = candidates[i]!;
        return { items, limit, nextCursor: encodeCursor({ hour: resume.hour, bucket: resume.index, ...BUCKET_START }) };
      }
      const group = candidates.slice(i, i + BUCKETS_PER_READ);
      const read = await buckets.read(organisationId, group);
      bucketsRead += group.length;
      for (const candidate of group) {
        const resumes = cursor && candidate.hour.getTime() === cursor.hour.getTime() && candidate.index === cursor.bucket;
        const rows = (read.get(bucketId(organisationId, candidate.hour, candidate.index)) ?? [])
          .filter((row) => matches(row, filter) && (!resumes || isAfter(row, cursor)))
          .sort(newestFirst);
        for (const row of rows) {
          // one record beyond the page proves there is a next page
          if (items.length === limit) return { items, limit, nextCursor: position ? encodeCursor(position) : null };
          items.push(row);
          position = { hour: candidate.hour, bucket: candidate.index, timestamp: row.timestamp, requestId: row.requestId };
        }
      }
    }
  }
  return { items, limit, nextCursor: null };
}
