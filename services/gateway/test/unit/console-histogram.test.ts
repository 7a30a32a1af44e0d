import { latencyBucket, mergeHistogram, quantile, type Histogram } from '../../src/console/domain/histogram';

describe('console latency histogram', () => {
  it('when hourly histograms of a known distribution are merged, then p50/p95/p99 are within 5 %', () => {
    // 24 "hours" of latencies 1..1000 ms (uniform): exact p50 = 500, p95 = 950, p99 = 990
    const merged: Histogram = {};
    for (let hour = 0; hour < 24; hour++) {
      const histogram: Histogram = {};
      for (let ms = 1; ms <= 1000; ms++) histogram[latencyBucket(ms)] = (histogram[latencyBucket(ms)] ?? 0) + 1;
      mergeHistogram(merged, histogram);
    }
    for (const [q, exact] of [[0.5, 500], [0.95, 950], [0.99, 990]] as const) {
      expect(Math.abs(quantile(merged, q)! - exact) / exact).toBeLessThan(0.05);
    }
  });

  it('when nothing was recorded, then there is no percentile', () => {
    expect(quantile({}, 0.5)).toBeNull();
  });
});
