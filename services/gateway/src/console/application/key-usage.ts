import { errors } from '@pitlane/core';

import type { UsageRollupRepository } from '../data-access/usage-rollup.repository';
import { mergeHistogram, round, type Histogram } from '../domain/histogram';
import { fromFieldName } from '../domain/usage-keys';
import type { KeyDeps } from './console-keys';
import { consoleKeyView } from './console-keys';
import { emptySummary, keySummaries, latencyStats, WINDOW_DAYS, windowDays, windowStart } from './usage-overview';

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

/** "View usage": one key's 30 days by day and by endpoint (from its daily rollups), plus its table columns. */
export async function keyUsage(deps: KeyDeps & { rollups: UsageRollupRepository }, organisationId: string, keyId: string, now = new Date()) {
  const key = (await deps.provisioning.listKeys(organisationId)).find((candidate) => candidate._id === keyId);
  if (!key) throw errors.notFound('API key');
  const from = windowStart(now, WINDOW_DAYS);
  const [days30, summaries] = await Promise.all([
    deps.rollups.keyPeriods(organisationId, keyId, windowDays(now), 'keyDaily'),
    keySummaries(deps.rollups, organisationId, [keyId], now),
  ]);
  const days = new Map<string, Stats>();
  for (let d = 0; d < WINDOW_DAYS; d++) {
    days.set(new Date(from.getTime() + d * 86_400_000).toISOString().slice(0, 10), fresh());
  }
  const endpoints = new Map<string, Stats>();
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
    }
  }
  const avg = (s: Stats) => (s.count === 0 ? null : round(s.latency / s.count));
  return {
    key: consoleKeyView(key, now),
    summary: summaries.get(keyId) ?? emptySummary,
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
