import type { HourlyRollup, UsageRollupRepository } from '../data-access/usage-rollup.repository';
import { round, SIZE_BUCKETS } from '../domain/histogram';
import { fromFieldName } from '../domain/usage-keys';
import { closedDaysVersion, type ClosedDaysMemo } from './closed-days-memo';
import { windowDays, windowStart } from './usage-overview';

const TOP = 10;

function top<T extends { count: number }>(items: T[], n = TOP): T[] {
  return items.sort((a, b) => b.count - a.count).slice(0, n);
}

function addTo(map: Map<string, number>, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

/** The analytics cards' sums over some days, before ranking and rounding. */
export interface AnalyticsSums {
  total: number;
  methods: Map<string, number>;
  routes: Map<string, { count: number; errors: number; latency: number }>;
  garages: Map<string, { count: number; errors: number; latency: number; bytes: number }>;
  errorGroups: Map<string, { count: number; routes: Map<string, number> }>;
  agents: Map<string, number>;
  ips: Map<string, number>;
  sizes: Map<string, number>;
  byHour: number[];
}

const emptyAnalyticsSums = (): AnalyticsSums => ({
  total: 0, methods: new Map(), routes: new Map(), garages: new Map(), errorGroups: new Map(),
  agents: new Map(), ips: new Map(), sizes: new Map(), byHour: Array.from({ length: 24 }, () => 0),
});

function addDays(sums: AnalyticsSums, days: HourlyRollup[], weekAgo: Date): void {
  for (const day of days) {
    sums.total += day.c;
    for (const [h, n] of Object.entries(day.hod ?? {})) sums.byHour[Number(h)]! += n;
    for (const [m, s] of Object.entries(day.m ?? {})) addTo(sums.methods, fromFieldName(m), s.c);
    for (const [r, s] of Object.entries(day.r ?? {})) {
      const entry = sums.routes.get(r) ?? { count: 0, errors: 0, latency: 0 };
      entry.count += s.c;
      entry.errors += s.e ?? 0;
      entry.latency += s.l ?? 0;
      sums.routes.set(r, entry);
    }
    for (const [g, s] of Object.entries(day.g ?? {})) {
      const entry = sums.garages.get(g) ?? { count: 0, errors: 0, latency: 0, bytes: 0 };
      entry.count += s.c;
      entry.errors += s.e ?? 0;
      entry.latency += s.l ?? 0;
      entry.bytes += s.b ?? 0;
      sums.garages.set(g, entry);
    }
    if (new Date(day.hour) >= weekAgo) {
      for (const [group, s] of Object.entries(day.err ?? {})) {
        const entry = sums.errorGroups.get(group) ?? { count: 0, routes: new Map<string, number>() };
        entry.count += s.c;
        for (const [route, n] of Object.entries(s.r ?? {})) addTo(entry.routes, route, n);
        sums.errorGroups.set(group, entry);
      }
    }
    for (const [ua, n] of Object.entries(day.ua ?? {})) addTo(sums.agents, ua, n);
    for (const [ip, n] of Object.entries(day.ip ?? {})) addTo(sums.ips, ip, n);
    for (const [bucket, n] of Object.entries(day.size ?? {})) addTo(sums.sizes, bucket, n);
  }
}

const CARD_FIELDS = { hour: 1, c: 1, m: 1, r: 1, g: 1, err: 1, ua: 1, ip: 1, size: 1, hod: 1 } as const;
/** The analytics cards under the keys table, from the 30 daily rollups (read by exact id). */
export async function usageAnalytics(
  rollups: UsageRollupRepository,
  memo: ClosedDaysMemo<AnalyticsSums>,
  organisationId: string,
  garageNames: Map<string, string>,
  now = new Date(),
) {
  const window = windowDays(now);
  const closed = window.slice(0, -1);
  const weekAgo = windowStart(now, 7);
  const [today, counts] = await Promise.all([
    rollups.periods(organisationId, window.slice(-1), CARD_FIELDS, 'daily'),
    rollups.periods(organisationId, closed, { c: 1 }, 'daily'),
  ]);
  const version = closedDaysVersion(window[0]!, counts);
  let sums = memo.get(organisationId, version);
  if (!sums) {
    sums = emptyAnalyticsSums();
    addDays(sums, await rollups.periods(organisationId, closed, CARD_FIELDS, 'daily'), weekAgo);
    memo.set(organisationId, version, sums);
  }
  addDays(sums, today, weekAgo);
  return cards(sums, garageNames);
}

function cards(sums: AnalyticsSums, garageNames: Map<string, string>) {
  const { total, methods, routes, garages, errorGroups, agents, ips, sizes, byHour } = sums;
  const avg = (sum: number, count: number) => (count === 0 ? null : round(sum / count));
  return {
    totalRequests: total,
    methods: [...methods].map(([method, count]) => ({ method, count, share: total === 0 ? 0 : round(count / total, 4) }))
      .sort((a, b) => b.count - a.count),
    topEndpoints: top([...routes].map(([field, s]) => {
      const [method = '', ...path] = fromFieldName(field).split(' ');
      return { method, route: path.join(' '), count: s.count, errors: s.errors, averageLatencyMs: avg(s.latency, s.count) };
    })),
    recentErrors: top([...errorGroups].map(([field, s]) => {
      const [status = '0', code = '-'] = fromFieldName(field).split('|');
      const samplePaths = [...s.routes].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([route]) => fromFieldName(route));
      return { status: Number(status), code: code === '-' ? null : code, count: s.count, samplePaths };
    })),
    requestsByHourUtc: byHour.map((count, hour) => ({ hour, count })),
    responseSizes: SIZE_BUCKETS.map((bucket) => ({ range: bucket.label, count: sizes.get(bucket.id) ?? 0 })),
    topUserAgents: top([...agents].map(([ua, count]) => ({ userAgent: fromFieldName(ua), count }))),
    topIps: top([...ips].map(([ip, count]) => ({ ip: fromFieldName(ip), count }))),
    garages: [...garages].map(([field, s]) => {
      const garageId = fromFieldName(field);
      return {
        garageId: garageId === '-' ? null : garageId,
        name: garageId === '-' ? 'Organisation-level calls' : (garageNames.get(garageId) ?? garageId),
        count: s.count,
        errors: s.errors,
        errorRate: s.count === 0 ? 0 : round(s.errors / s.count, 4),
        averageLatencyMs: avg(s.latency, s.count),
        bytes: s.bytes,
      };
    }).sort((a, b) => b.count - a.count),
  };
}
