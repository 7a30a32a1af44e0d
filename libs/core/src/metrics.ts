import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per service instance (tests start several in one process): HTTP, event and
 * outbox metrics, plus the process defaults. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly eventsPublished: Counter<'type'>;
  readonly eventsConsumed: Counter<'type' | 'outcome'>;
  readonly outboxBacklog: Gauge;

  constructor(service: string, options: { defaultMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ service });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.eventsPublished = new Counter({
      name: 'events_published_total',
      help: 'Events published to the broker (confirmed)',
      labelNames: ['type'],
      registers,
    });
    this.eventsConsumed = new Counter({
      name: 'events_consumed_total',
      help: 'Events consumed, by outcome (handled, duplicate, retried, dead_lettered)',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.outboxBacklog = new Gauge({
      name: 'outbox_backlog',
      help: 'Events stored in the outbox and not yet confirmed by the broker',
      registers,
    });
  }
}
