import type { HourlyRollup, UsageRollupRepository } from '../data-access/usage-rollup.repository';
import { mergeHistogram, quantile, round, type Histogram } from '../domain/histogram';
import { DAY_MS, dayOf, fromFieldName, hourOf, HOUR_MS, isErrorSpike, periodStarts } from '../domain/usage-keys';
import { closedDaysVersion, type ClosedDaysMemo } from './closed-days-memo';

export const WINDOW_DAYS = 30;

/** "30 days" = the last 30 UTC days, today included: whole daily rollups, so 30 documents a card. */
export function windowStart(now: Date, days: number): Date {
  return new Date(dayOf(now).getTime() - (days - 1) * DAY_MS);
}

/** The day starts of the window: the daily rollups a 30-day card reads, by exact id. */
export function windowDays(now: Date, days = WINDOW_DAYS): Date[] {
  return periodStarts(windowStart(now, days), days, DAY_MS);
}

export function latencyStats(histogram: Histogram) {
  return { p50: quantile(histogram, 0.5), p95: quantile(histogram, 0.95), p99: quantile(histogram, 0.99) };
}

/** The four summary cards: 30 days of requests, error rate, latency (average and percentiles), bytes. */
export async function usageOverview(rollups: UsageRollupRepository, organisationId: string, now = new Date()) {
  const from = windowStart(now, WINDOW_DAYS);
  const hours = await rollups.periods(organisationId, windowDays(now), { c: 1, e: 1, b: 1, l: 1, lat: 1 }, 'daily');
  let requests = 0;
  let errors = 0;
  let bytes = 0;
  let latencySum = 0;
  const histogram: Histogram = {};
  for (const hour of hours) {
    requests += hour.c;
    errors += hour.e ?? 0;
    bytes += hour.b ?? 0;
    latencySum += hour.l ?? 0;
    mergeHistogram(histogram, hour.lat);
  }
  return {
    from,
    to: now,
    totalRequests: requests,
    errors,
    errorRate: requests === 0 ? 0 : round(errors / requests, 4),
    averageLatencyMs: requests === 0 ? null : round(latencySum / requests),
    latencyMs: latencyStats(histogram),
    bytesTransferred: bytes,
  };
}

export interface KeySummary {
  requests30d: number;
  methods30d: Record<string, number>;
  lifetimeRequests: number;
  errors30d: number;
  errors24h: number;
  errorSpike: boolean;
  averageLatencyMs: number | null;
  bytes30d: number;
  firstRequestAt: Date | null;
  lastRequestAt: Date | null;
}

/** A key's 30-day sums (and its last 24 hours) as the keys table adds them up. */
interface KeySums { c: number; e: number; b: number; l: number; c24: number; e24: number; m: Record<string, number> }
export type KeyTableSums = Map<string, KeySums>;

const emptyKeySums = (): KeySums => ({ c: 0, e: 0, b: 0, l: 0, c24: 0, e24: 0, m: {} });

function entryFor(acc: KeyTableSums, field: string): KeySums {
  const keyId = fromFieldName(field);
  const entry = acc.get(keyId) ?? emptyKeySums();
  acc.set(keyId, entry);
  return entry;
}

function addKeyDays(acc: KeyTableSums, days: HourlyRollup[]): void {
  for (const day of days) {
    for (const [field, stats] of Object.entries(day.k ?? {})) {
      const entry = entryFor(acc, field);
      entry.c += stats.c;
      entry.e += stats.e ?? 0;
      entry.b += stats.b ?? 0;
      entry.l += stats.l ?? 0;
      for (const [method, count] of Object.entries(stats.m ?? {})) entry.m[fromFieldName(method)] = (entry.m[fromFieldName(method)] ?? 0) + count;
    }
  }
}

/** Per-key columns of the keys table (for the organisation's `keyIds`): 30 days from the daily rollups
 * (the closed days' sums kept in `memo`), the last 24 hours (spike detection) from the hourly ones, and
 * the lifetime totals. */
export async function keySummaries(
  rollups: UsageRollupRepository,
  memo: ClosedDaysMemo<KeyTableSums>,
  organisationId: string,
  keyIds: string[],
  now = new Date(),
): Promise<Map<string, KeySummary>> {
  const window = windowDays(now);
  const closed = window.slice(0, -1);
  const [today, counts, lastHours, totals] = await Promise.all([
    rollups.periods(organisationId, window.slice(-1), { hour: 1, k: 1 }, 'daily'),
    rollups.periods(organisationId, closed, { c: 1 }, 'daily'),
    rollups.periods(organisationId, periodStarts(new Date(hourOf(now).getTime() - 23 * HOUR_MS), 24, HOUR_MS), { hour: 1, k: 1 }),
    rollups.keyTotals(keyIds),
  ]);
  const version = closedDaysVersion(window[0]!, counts);
  let acc = memo.get(organisationId, version);
  if (!acc) {
    acc = new Map();
    addKeyDays(acc, await rollups.periods(organisationId, closed, { hour: 1, k: 1 }, 'daily'));
    memo.set(organisationId, version, acc);
  }
  addKeyDays(acc, today);
  for (const hour of lastHours) {
    for (const [field, stats] of Object.entries(hour.k ?? {})) {
      const entry = entryFor(acc, field);
      entry.c24 += stats.c;
      entry.e24 += stats.e ?? 0;
    }
  }
  const summaries = new Map<string, KeySummary>();
  const lifetime = new Map(totals.map((t) => [t._id, t]));
  for (const keyId of new Set([...acc.keys(), ...lifetime.keys()])) {
    const entry = acc.get(keyId) ?? emptyKeySums();
    const total = lifetime.get(keyId);
    summaries.set(keyId, {
      requests30d: entry.c,
      methods30d: entry.m,
      lifetimeRequests: total?.c ?? entry.c,
      errors30d: entry.e,
      errors24h: entry.e24,
      errorSpike: isErrorSpike(entry.e24, entry.c24, entry.e, entry.c),
      averageLatencyMs: entry.c === 0 ? null : round(entry.l / entry.c),
      bytes30d: entry.b,
      firstRequestAt: total?.first ?? null,
      lastRequestAt: total?.last ?? null,
    });
  }
  return summaries;
}

export const emptySummary: KeySummary = {
  requests30d: 0,
  methods30d: {},
  lifetimeRequests: 0,
  errors30d: 0,
  errors24h: 0,
  errorSpike: false,
  averageLatencyMs: null,
  bytes30d: 0,
  firstRequestAt: null,
  lastRequestAt: null,
};
