/**
 * Fixed log-scale latency buckets, so hourly histograms merge by adding counts. Bucket i covers
 * [MIN·R^i, MIN·R^(i+1)); reporting its geometric middle is off by at most √R − 1 ≈ 4.9 % for R = 1.1.
 */
const MIN_MS = 0.1;
const RATIO = 1.1;
export const LAST_BUCKET = 150; // 0.1 ms · 1.1^150 ≈ 16 min: anything slower lands here

export type Histogram = Record<string, number>;

export function latencyBucket(ms: number): number {
  if (!(ms > MIN_MS)) return 0;
  return Math.min(LAST_BUCKET, Math.floor(Math.log(ms / MIN_MS) / Math.log(RATIO)));
}

export function bucketValue(bucket: number): number {
  return MIN_MS * RATIO ** (bucket + 0.5);
}

export function mergeHistogram(into: Histogram, from: Histogram | undefined): Histogram {
  for (const [bucket, count] of Object.entries(from ?? {})) into[bucket] = (into[bucket] ?? 0) + count;
  return into;
}

/** The q-quantile (0 < q ≤ 1) of a merged histogram, or null when it is empty. */
export function quantile(histogram: Histogram, q: number): number | null {
  const buckets = Object.entries(histogram)
    .map(([bucket, count]) => [Number(bucket), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return round(bucketValue(bucket));
  }
  return null;
}

/** Response sizes, coarse on purpose: the card shows a distribution, not percentiles. */
export const SIZE_BUCKETS = [
  { id: 's0', label: '< 1 KB', below: 1024 },
  { id: 's1', label: '1–10 KB', below: 10 * 1024 },
  { id: 's2', label: '10–100 KB', below: 100 * 1024 },
  { id: 's3', label: '100 KB–1 MB', below: 1024 * 1024 },
  { id: 's4', label: '≥ 1 MB', below: Infinity },
] as const;

export function sizeBucket(bytes: number): string {
  return (SIZE_BUCKETS.find((b) => bytes < b.below) ?? SIZE_BUCKETS[4]).id;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
