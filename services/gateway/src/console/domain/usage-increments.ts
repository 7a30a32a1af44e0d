import { latencyBucket, sizeBucket } from './histogram';
import { fieldName, hourOf, isError, statusClass } from './usage-keys';

/** What the rollups need of an audit record. */
export interface UsageRecord {
  timestamp: Date;
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

export type RollupKind = 'hourly' | 'keyHourly' | 'keyTotals';

/** One upsert: `$setOnInsert` identity fields, `$inc` counters, `$min`/`$max` first/last request. */
export interface RollupWrite {
  kind: RollupKind;
  id: string;
  setOnInsert: Record<string, unknown>;
  inc: Record<string, number>;
  min?: { first: Date };
  max?: { last: Date };
}

/**
 * Turns a batch of audit records into as few upserts as possible (one per document touched):
 * - `hourly` per organisation and hour: totals, latency and size histograms, and one map per card
 *   (methods, routes, garages, keys, error groups, user agents, IPs), so the dashboard reads 720
 *   small documents for 30 days;
 * - `keyHourly` per organisation, key and hour, with one cell per garage × method × status class ×
 *   route template (counts, errors, bytes, latency sum and histogram): the full grain;
 * - `keyTotals` per key: lifetime count, first and last request.
 * Records without an organisation (no or unknown key) have nobody to report to and are skipped.
 */
export function rollupWrites(records: UsageRecord[]): RollupWrite[] {
  const writes = new Map<string, RollupWrite>();
  const doc = (kind: RollupKind, id: string, setOnInsert: Record<string, unknown>): RollupWrite => {
    const mapKey = `${kind}:${id}`;
    let write = writes.get(mapKey);
    if (!write) {
      write = { kind, id, setOnInsert, inc: {} };
      writes.set(mapKey, write);
    }
    return write;
  };
  const add = (write: RollupWrite, field: string, amount: number) => {
    if (amount !== 0) write.inc[field] = (write.inc[field] ?? 0) + amount;
  };

  for (const record of records) {
    const org = record.organisationId;
    if (!org) continue;
    const hour = hourOf(new Date(record.timestamp));
    const error = isError(record.status) ? 1 : 0;
    const latency = Math.max(0, record.latencyMs);
    const bytes = Math.max(0, record.responseBytes);
    const bucket = latencyBucket(latency);
    const method = fieldName(record.method);
    const route = fieldName(`${record.method} ${record.route}`);
    const garage = fieldName(record.garageId ?? '-');

    const hourly = doc('hourly', `${org}|${hour.toISOString()}`, { organisationId: org, hour });
    for (const [field, amount] of [['c', 1], ['e', error], ['b', bytes], ['l', latency]] as const) {
      add(hourly, field, amount);
    }
    add(hourly, `lat.${bucket}`, 1);
    add(hourly, `size.${sizeBucket(bytes)}`, 1);
    add(hourly, `m.${method}.c`, 1);
    add(hourly, `m.${method}.e`, error);
    add(hourly, `r.${route}.c`, 1);
    add(hourly, `r.${route}.e`, error);
    add(hourly, `r.${route}.l`, latency);
    add(hourly, `g.${garage}.c`, 1);
    add(hourly, `g.${garage}.e`, error);
    add(hourly, `g.${garage}.l`, latency);
    add(hourly, `g.${garage}.b`, bytes);
    add(hourly, `ua.${fieldName((record.userAgent ?? '(none)').slice(0, 160))}`, 1);
    add(hourly, `ip.${fieldName(record.clientIp ?? '(unknown)')}`, 1);
    if (error) {
      const group = fieldName(`${record.status}|${record.errorCode ?? '-'}`);
      add(hourly, `err.${group}.c`, 1);
      add(hourly, `err.${group}.r.${fieldName(record.route)}`, 1);
    }
    if (!record.keyId) continue;
    const key = fieldName(record.keyId);
    add(hourly, `k.${key}.c`, 1);
    add(hourly, `k.${key}.e`, error);
    add(hourly, `k.${key}.b`, bytes);
    add(hourly, `k.${key}.l`, latency);
    add(hourly, `k.${key}.m.${method}`, 1);

    const keyHourly = doc('keyHourly', `${org}|${record.keyId}|${hour.toISOString()}`, { organisationId: org, keyId: record.keyId, hour });
    const cell = `cell.${fieldName(`${record.garageId ?? '-'}|${record.method}|${statusClass(record.status)}|${record.route}`)}`;
    for (const [field, amount] of [['c', 1], ['e', error], ['b', bytes], ['l', latency]] as const) {
      add(keyHourly, field, amount);
      add(keyHourly, `${cell}.${field}`, amount);
    }
    add(keyHourly, `lat.${bucket}`, 1);
    add(keyHourly, `${cell}.h.${bucket}`, 1);

    const totals = doc('keyTotals', record.keyId, { organisationId: org });
    add(totals, 'c', 1);
    add(totals, 'e', error);
    const at = new Date(record.timestamp);
    totals.min = { first: totals.min && totals.min.first < at ? totals.min.first : at };
    totals.max = { last: totals.max && totals.max.last > at ? totals.max.last : at };
  }
  return [...writes.values()];
}
