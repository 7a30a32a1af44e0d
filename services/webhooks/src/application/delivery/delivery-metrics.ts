import { Counter, Histogram, type Registry } from 'prom-client';

import type { SendResult } from './send-webhook';

/** What an operator watches: attempts by result, their duration, and how late attempts start
 * after they were due (grows when workers cannot keep up). Labels stay bounded. */
export class DeliveryMetrics {
  private readonly attempts: Counter<'result'>;
  private readonly duration: Histogram<'result'>;
  private readonly lateness: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.attempts = new Counter({
      name: 'webhook_attempts_total',
      help: 'Webhook delivery attempts by result (HTTP status class or error kind)',
      labelNames: ['result'],
      registers,
    });
    this.duration = new Histogram({
      name: 'webhook_attempt_duration_seconds',
      help: 'Duration of webhook delivery attempts',
      labelNames: ['result'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.lateness = new Histogram({
      name: 'webhook_attempt_lateness_seconds',
      help: 'Time between a delivery being due and its attempt starting',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
      registers,
    });
  }

  observe(result: SendResult, dueAt: Date | null, startedAt: Date): void {
    const label = result.status === null ? (result.error ?? 'network') : `${Math.floor(result.status / 100)}xx`;
    this.attempts.inc({ result: label });
    this.duration.observe({ result: label }, result.durationMs / 1000);
    if (dueAt) this.lateness.observe(Math.max(0, startedAt.getTime() - dueAt.getTime()) / 1000);
  }
}
