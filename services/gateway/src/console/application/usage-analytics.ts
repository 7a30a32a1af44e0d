import type { UsageRollupRepository } from '../data-access/usage-rollup.repository';
import { round, SIZE_BUCKETS } from '../domain/histogram';
import { fromFieldName } from '../domain/usage-keys';
import { windowDays, windowStart } from './usage-overview';

const TOP = 10;

function top<T extends { count: number }>(items: T[], n = TOP): T[] {
  return items.sort((a, b) => b.count - a.count).slice(0, n);
}

function addTo(map: Map<string, number>, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

/** The analytics cards under the keys table, all from the 30 daily rollups (read by exact id). */
export async function usageAnalytics(
  rollups: UsageRollupRepository,
  organisationId: string,
  garageNames: Map<string, string>,
  now = new Date(),
) {
  const hours = await rollups.periods(organisationId, windowDays(now), {
    hour: 1, c: 1, m: 1, r: 1, g: 1, err: 1, ua: 1, ip: 1, size: 1, hod: 1,
  }, 'daily');
  const weekAgo = windowStart(now, 7);
  const methods = new Map<string, number>();
  const routes = new Map<string, { count: number; errors: number; latency: number }>();
  const garages = new Map<string, { count: number; errors: number; latency: number; bytes: number }>();
  const errorGroups = new Map<string, { count: number; routes: Map<string, number> }>();
  const agents = new Map<string, number>();
  const ips = new Map<string, number>();
  const sizes = new Map<string, number>();
  const byHour = Array.from({ length: 24 }, () => 0);
  let total = 0;

  for (const hour of hours) {
    total += hour.c;
    for (const [h, n] of Object.entries(hour.hod ?? {})) byHour[Number(h)]! += n;
    for (const [m, s] of Object.entries(hour.m ?? {})) addTo(methods, fromFieldName(m), s.c);
    for (const [r, s] of Object.entries(hour.r ?? {})) {
      const entry = routes.get(r) ?? { count: 0, errors: 0, latency: 0 };
      entry.count += s.c;
      entry.errors += s.e ?? 0;
      entry.latency += s.l ?? 0;
      routes.set(r, entry);
    }
    for (const [g, s] of Object.entries(hour.g ?? {})) {
      const entry = garages.get(g) ?? { count: 0, errors: 0, latency: 0, bytes: 0 };
      entry.count += s.c;
      entry.errors += s.e ?? 0;
      entry.latency += s.l ?? 0;
      entry.bytes += s.b ?? 0;
      garages.set(g, entry);
    }
    if (new Date(hour.hour) >= weekAgo) {
      for (const [group, s] of Object.entries(hour.err ?? {})) {
        const entry = errorGroups.get(group) ?? { count: 0, routes: new Map<string, number>() };
        entry.count += s.c;
        for (const [route, n] of Object.entries(s.r ?? {})) addTo(entry.routes, route, n);
        errorGroups.set(group, entry);
      }
    }
    for (const [ua, n] of Object.entries(hour.ua ?? {})) addTo(agents, ua, n);
    for (const [ip, n] of Object.entries(hour.ip ?? {})) addTo(ips, ip, n);
    for (const [bucket, n] of Object.entries(hour.size ?? {})) addTo(sizes, bucket, n);
  }

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
