import { latencyBucket, sizeBucket } from './histogram';
import { dayOf, fieldName, hourOf, isError, keyRollupId, rollupId, statusClass } from './usage-keys';

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

export type RollupKind = 'hourly' | 'daily' | 'keyHourly' | 'keyDaily' | 'keyTotals';

/** One upsert: `$setOnInsert` identity fields, `$inc` counters, `$min`/`$max` first/last request. */
export interface RollupWrite {
  kind: RollupKind;
  id: string;
  setOnInsert: Record<string, unknown>;
  inc: Record<string, number>;
  min?: { first: Date };
  max?: { last: Date };
}

type Add = (field: string, amount: number) => void;

/** Organisation-level counters: totals, histograms and one map per analytics card. */
function addOrganisationFields(add: Add, r: UsageRecord, error: number, latency: number, bytes: number): void {
  const method = fieldName(r.method);
  const route = fieldName(`${r.method} ${r.route}`);
  const garage = fieldName(r.garageId ?? '-');
  add('c', 1);
  add('e', error);
  add('b', bytes);
  add('l', latency);
  add(`lat.${latencyBucket(latency)}`, 1);
  add(`size.${sizeBucket(bytes)}`, 1);
  add(`m.${method}.c`, 1);
  add(`m.${method}.e`, error);
  add(`r.${route}.c`, 1);
  add(`r.${route}.e`, error);
  add(`r.${route}.l`, latency);
  add(`g.${garage}.c`, 1);
  add(`g.${garage}.e`, error);
  add(`g.${garage}.l`, latency);
  add(`g.${garage}.b`, bytes);
  add(`ua.${fieldName((r.userAgent ?? '(none)').slice(0, 160))}`, 1);
  add(`ip.${fieldName(r.clientIp ?? '(unknown)')}`, 1);
  if (error) {
    const group = fieldName(`${r.status}|${r.errorCode ?? '-'}`);
    add(`err.${group}.c`, 1);
    add(`err.${group}.r.${fieldName(r.route)}`, 1);
  }
  if (r.keyId) {
    const key = fieldName(r.keyId);
    add(`k.${key}.c`, 1);
    add(`k.${key}.e`, error);
    add(`k.${key}.b`, bytes);
    add(`k.${key}.l`, latency);
    add(`k.${key}.m.${method}`, 1);
  }
}

/** Key-level counters. Hourly: one cell per garage × method × status class × route template (the full
 * grain). Daily: one entry per endpoint (method and route), what "View usage" shows, so 30 days stay small. */
function addKeyFields(add: Add, r: UsageRecord, error: number, latency: number, bytes: number, grain: 'cell' | 'endpoint'): void {
  const cell = grain === 'cell'
    ? `cell.${fieldName(`${r.garageId ?? '-'}|${r.method}|${statusClass(r.status)}|${r.route}`)}`
    : `ep.${fieldName(`${r.method} ${r.route}`)}`;
  for (const [field, amount] of [['c', 1], ['e', error], ['b', bytes], ['l', latency]] as const) {
    add(field, amount);
    add(`${cell}.${field}`, amount);
  }
  const bucket = latencyBucket(latency);
  add(`lat.${bucket}`, 1);
  add(`${cell}.h.${bucket}`, 1);
}

/**
 * Turns a batch of audit records into as few upserts as possible (one per document touched):
 * - `hourly` per organisation and hour, and `daily` the same per UTC day (plus requests by hour of
 *   day), so a 30-day card reads 30 documents, not 720;
 * - `keyHourly` per organisation, key and hour with the full-grain cells; `keyDaily` per day and endpoint;
 * - `keyTotals` per key: lifetime count, first and last request.
 * Records without an organisation (no or unknown key) have nobody to report to and are skipped.
 */
export function rollupWrites(records: UsageRecord[]): RollupWrite[] {
  const writes = new Map<string, RollupWrite>();
  const adder = (kind: RollupKind, id: string, setOnInsert: Record<string, unknown>) => {
    const mapKey = `${kind}:${id}`;
    let write = writes.get(mapKey);
    if (!write) {
      write = { kind, id, setOnInsert, inc: {} };
      writes.set(mapKey, write);
    }
    const target = write;
    const add: Add = (field, amount) => {
      if (amount !== 0) target.inc[field] = (target.inc[field] ?? 0) + amount;
    };
    return { write: target, add };
  };

  for (const r of records) {
    const org = r.organisationId;
    if (!org) continue;
    const at = new Date(r.timestamp);
    const hour = hourOf(at);
    const day = dayOf(at);
    const error = isError(r.status) ? 1 : 0;
    const latency = Math.max(0, r.latencyMs);
    const bytes = Math.max(0, r.responseBytes);

    addOrganisationFields(adder('hourly', rollupId(org, hour), { organisationId: org, hour }).add, r, error, latency, bytes);
    const daily = adder('daily', rollupId(org, day), { organisationId: org, hour: day }).add;
    addOrganisationFields(daily, r, error, latency, bytes);
    daily(`hod.${at.getUTCHours()}`, 1);
    if (!r.keyId) continue;

    addKeyFields(adder('keyHourly', keyRollupId(org, r.keyId, hour), { organisationId: org, keyId: r.keyId, hour }).add, r, error, latency, bytes, 'cell');
    addKeyFields(adder('keyDaily', keyRollupId(org, r.keyId, day), { organisationId: org, keyId: r.keyId, hour: day }).add, r, error, latency, bytes, 'endpoint');
    const { write: totals, add } = adder('keyTotals', r.keyId, { organisationId: org });
    add('c', 1);
    add('e', error);
    totals.min = { first: totals.min && totals.min.first < at ? totals.min.first : at };
    totals.max = { last: totals.max && totals.max.last > at ? totals.max.last : at };
  }
  return [...writes.values()];
}
