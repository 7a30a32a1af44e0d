import { auditPage, MAX_BUCKETS_PER_PAGE } from '../../src/console/application/audit-page';
import {
  bucketId,
  BUCKET_SIZE,
  decodeCursor,
  groupByOrganisationHour,
  hourDirectoryId,
  placeInBuckets,
  type AuditRow,
  type HourDirectory,
  type StoredRecord,
} from '../../src/console/domain/audit-buckets';
import { hourOf } from '../../src/console/domain/usage-keys';

const ORG = 'org_a';
const NOW = new Date('2026-11-30T12:30:00Z');

function record(at: Date, i: number, extra: Partial<StoredRecord> = {}): StoredRecord {
  return {
    timestamp: at, requestId: `req-${String(i).padStart(6, '0')}`, keyId: 'key_a', organisationId: ORG, garageId: 'gar_1',
    method: 'GET', route: '/api/v1/garages', status: 200, latencyMs: 5, responseBytes: 100, userAgent: null, clientIp: null, errorCode: null,
    ...extra,
  };
}

/** The repository in memory, placing records exactly as AuditBucketRepository.append does, and counting reads. */
function memoryBuckets() {
  const directories = new Map<string, HourDirectory>();
  const buckets = new Map<string, AuditRow[]>();
  const reads = { directories: 0, buckets: 0 };
  return {
    reads,
    append(records: StoredRecord[]) {
      for (const group of groupByOrganisationHour(records)) {
        const id = hourDirectoryId(group.organisationId, group.hour);
        const directory = directories.get(id) ?? { _id: id, n: 0, b: {} };
        const start = directory.n;
        directory.n += group.records.length;
        for (const [index, bucket] of placeInBuckets(group, start)) {
          const key = bucketId(group.organisationId, group.hour, index);
          buckets.set(key, [...(buckets.get(key) ?? []), ...bucket.records]);
          for (const [path, amount] of Object.entries(bucket.inc)) {
            const [, , field = '', value = ''] = path.split('.');
            const summary = (directory.b![String(index)] ??= {});
            const counts = (summary[field as 'k' | 'g' | 's'] ??= {});
            counts[value] = (counts[value] ?? 0) + amount;
          }
        }
        directories.set(id, directory);
      }
    },
    directories(organisationId: string, hours: Date[]) {
      const found = hours.map((hour) => directories.get(hourDirectoryId(organisationId, hour))).filter((d) => d !== undefined);
      reads.directories += found.length;
      return Promise.resolve(found);
    },
    read(organisationId: string, wanted: { hour: Date; index: number }[]) {
      reads.buckets += wanted.length;
      return Promise.resolve(new Map(wanted.map(({ hour, index }) => {
        const id = bucketId(organisationId, hour, index);
        return [id, buckets.get(id) ?? []] as const;
      })));
    },
  };
}

const from = new Date(NOW.getTime() - 30 * 86_400_000);

describe('audit viewer buckets', () => {
  it('when records are placed from a reserved position, then no bucket holds more than BUCKET_SIZE and the summaries count per key, garage and status', () => {
    const hour = hourOf(NOW);
    const group = { organisationId: ORG, hour, records: Array.from({ length: 30 }, (_, i) => record(NOW, i, { status: i < 10 ? 404 : 200 })) };

    const placed = placeInBuckets(group, BUCKET_SIZE - 10);

    expect([...placed.keys()]).toEqual([0, 1]);
    expect(placed.get(0)!.records).toHaveLength(10);
    expect(placed.get(1)!.records).toHaveLength(20);
    expect(placed.get(0)!.inc).toEqual({ 'b.0.k.key_a': 10, 'b.0.g.gar_1': 10, 'b.0.s.404': 10 });
    expect(placed.get(1)!.inc).toEqual({ 'b.1.k.key_a': 20, 'b.1.g.gar_1': 20, 'b.1.s.200': 20 });
  });

  it('when pages are followed by cursor, then every record comes once, newest first, across buckets and hours', async () => {
    const repo = memoryBuckets();
    const records = Array.from({ length: 1_000 }, (_, i) => record(new Date(NOW.getTime() - (1_000 - i) * 20_000), i));
    repo.append(records.slice(0, 600));
    repo.append(records.slice(600));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await auditPage(repo, ORG, { from }, 64, cursor ? decodeCursor(cursor) : undefined, NOW);
      expect(page.items.length).toBeLessThanOrEqual(64);
      seen.push(...page.items.map((r) => r.requestId));
      cursor = page.nextCursor;
    } while (cursor);

    expect(seen).toEqual(records.map((r) => r.requestId).reverse());
  });

  it('when a rare key is filtered, then the page reads only the buckets whose summaries hold it', async () => {
    const repo = memoryBuckets();
    const records = Array.from({ length: 5_000 }, (_, i) => record(new Date(NOW.getTime() - (5_000 - i) * 1_000), i, i === 1_234 || i === 4_321 ? { keyId: 'key_rare', status: 503 } : {}));
    repo.append(records);

    const page = await auditPage(repo, ORG, { from, keyId: 'key_rare', status: 503 }, 20, undefined, NOW);

    expect(page.items.map((r) => r.requestId)).toEqual(['req-004321', 'req-001234']);
    expect(page.nextCursor).toBeNull();
    expect(repo.reads.buckets).toBe(2); // of 25 buckets
  });

  it('when a filter matches nothing over a long range, then one page reads at most MAX_BUCKETS_PER_PAGE buckets and hands back a cursor', async () => {
    const repo = memoryBuckets();
    // key_b and status 404 both occur in every bucket, but never together: the summaries cannot rule buckets out
    const records = Array.from({ length: 20_000 }, (_, i) => record(new Date(NOW.getTime() - (20_000 - i) * 100), i, i % 2 ? { keyId: 'key_b' } : { status: 404 }));
    repo.append(records);

    const page = await auditPage(repo, ORG, { from, keyId: 'key_b', status: 404 }, 20, undefined, NOW);

    expect(page.items).toEqual([]);
    expect(repo.reads.buckets).toBe(MAX_BUCKETS_PER_PAGE);
    expect(page.nextCursor).not.toBeNull();
    const next = await auditPage(repo, ORG, { from, keyId: 'key_b', status: 404 }, 20, decodeCursor(page.nextCursor!), NOW);
    expect(next.items).toEqual([]);
    expect(repo.reads.buckets).toBe(2 * MAX_BUCKETS_PER_PAGE);
  });

  it('when the date range ends before now, then the walk starts at its last hour and keeps only records inside it', async () => {
    const repo = memoryBuckets();
    const records = Array.from({ length: 72 }, (_, i) => record(new Date(NOW.getTime() - i * 3_600_000), i));
    repo.append(records);
    const to = new Date('2026-11-29T00:00:00Z');

    const page = await auditPage(repo, ORG, { from: new Date('2026-11-28T00:00:00Z'), to }, 100, undefined, NOW);

    expect(page.items).toHaveLength(24);
    expect(page.items.every((r) => r.timestamp >= new Date('2026-11-28T00:00:00Z') && r.timestamp < to)).toBe(true);
    expect(repo.reads.directories).toBeLessThanOrEqual(25);
  });

  it('when a cursor is not one the API wrote, then it does not decode', () => {
    expect(decodeCursor('nonsense')).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify([1, 0, 0, 'x'])).toString('base64url'))).toBeUndefined(); // not an hour start
  });
});
