import { errors } from '@pitlane/core';

import type { UsageRollupRepository } from '../data-access/usage-rollup.repository';
import { mergeHistogram, round, type Histogram } from '../domain/histogram';
import { fromFieldName, hourOf, HOUR_MS, isErrorSpike, periodStarts } from '../domain/usage-keys';
import type { KeyDeps } from './console-keys';
import { consoleKeyView } from './console-keys';
import { latencyStats, WINDOW_DAYS, windowDays, windowStart, type KeySummary } from './usage-overview';

interface Stats {
  count: number;
  errors: number;
  bytes: number;
  latency: number;
  histogram: Histogram;
}

const fresh = (): Stats => ({ count: 0, errors: 0, bytes: 0, latency: 0, histogram: {} });

function add(target: Stats, source: { c: number; e?: number; b?: number; l?: number; h?: Histogram; lat?: Histogram }): void {
  target.count += source.c;
  target.errors += source.e ?? 0;
  target.bytes += source.b ?? 0;
  target.latency += source.l ?? 0;
  mergeHistogram(target.histogram, source.h ?? source.lat);
}

/** "View usage": one key's 30 days by day and by endpoint, and its table columns, from that key's own
 * rollups only (30 daily documents, the last 24 hourly totals, the lifetime totals): never the
 * organisation's documents, so the cost does not grow with the number of keys. */
export async function keyUsage(deps: KeyDeps & { rollups: UsageRollupRepository }, organisationId: string, keyId: string, now = new Date()) {
  const key = (await deps.provisioning.listKeys(organisationId)).find((candidate) => candidate._id === keyId);
  if (!key) throw errors.notFound('API key');
  const from = windowStart(now, WINDOW_DAYS);
  const lastHours = periodStarts(new Date(hourOf(now).getTime() - 23 * HOUR_MS), 24, HOUR_MS);
  const [days30, hours24, [totals]] = await Promise.all([
    deps.rollups.keyPeriods(organisationId, keyId, windowDays(now), 'keyDaily'),
    deps.rollups.keyPeriods(organisationId, keyId, lastHours, 'keyHourly', { c: 1, e: 1 }),
    deps.rollups.keyTotals([keyId]),
  ]);
  const days = new Map<string, Stats>();
  for (let d = 0; d < WINDOW_DAYS; d++) {
    days.set(new Date(from.getTime() + d * 86_400_000).toISOString().slice(0, 10), fresh());
  }
  const endpoints = new Map<string, Stats>();
  const methods: Record<string, number> = {};
  const overall = fresh();
  for (const day of days30) {
    const bucket = days.get(new Date(day.hour).toISOString().slice(0, 10));
    if (bucket) add(bucket, day);
    add(overall, day);
    for (const [field, stats] of Object.entries(day.ep ?? {})) {
      const name = fromFieldName(field);
      const endpoint = endpoints.get(name) ?? fresh();
      add(endpoint, stats);
      endpoints.set(name, endpoint);
      const method = name.split(' ')[0] ?? '';
      methods[method] = (methods[method] ?? 0) + stats.c;
    }
  }
  const last24 = hours24.reduce((sum, hour) => ({ c: sum.c + hour.c, e: sum.e + (hour.e ?? 0) }), { c: 0, e: 0 });
  const avg = (s: Stats) => (s.count === 0 ? null : round(s.latency / s.count));
  const summary: KeySummary = {
    requests30d: overall.count,
    methods30d: methods,
    lifetimeRequests: totals?.c ?? overall.count,
    errors30d: overall.errors,
    errors24h: last24.e,
    errorSpike: isErrorSpike(last24.e, last24.c, overall.errors, overall.count),
    averageLatencyMs: avg(overall),
    bytes30d: overall.bytes,
    firstRequestAt: totals?.first ?? null,
    lastRequestAt: totals?.last ?? null,
  };
  return {
    key: consoleKeyView(key, now),
    summary,
    latencyMs: latencyStats(overall.histogram),
    daily: [...days].map(([date, s]) => ({ date, requests: s.count, errors: s.errors, bytes: s.bytes, averageLatencyMs: avg(s) })),
    endpoints: [...endpoints]
      .map(([name, s]) => {
        const [method = '', ...route] = name.split(' ');
        return { method, route: route.join(' '), requests: s.count, errors: s.errors, bytes: s.bytes, averageLatencyMs: avg(s), p95LatencyMs: latencyStats(s.histogram).p95 };
      })
      .sort((a, b) => b.requests - a.requests),
  };
}
