import { healthRouter, type Metrics, type ReadinessCheck } from '@pitlane/core';
import type { EventBus } from '@pitlane/events';
import express, { type Express } from 'express';
import { Gauge } from 'prom-client';

/**
 * What one process of a service does (PITLANE_ROLE):
 * - `api`: HTTP only. It writes documents with their pending events (the outbox) and never publishes
 *   or consumes itself: the worker processes' relays publish what it stored, so api pods scale on
 *   requests and need no broker connection at all.
 * - `worker`: event consumers, the outbox relay and background jobs, plus a small HTTP server with
 *   /healthz, /readyz and /metrics for probes and Prometheus, and no API routes.
 * - `all`: both, in one process (development, tests, small installations).
 */
export type ServiceRole = 'api' | 'worker' | 'all';

export interface RolePlan {
  role: ServiceRole;
  /** HTTP serves the service's routes (else the health-only app) */
  servesApi: boolean;
  /** consumers, relay, background workers, broker connection */
  runsWorkers: boolean;
}

export function planFor(role: ServiceRole | undefined): RolePlan {
  const resolved = role ?? 'all';
  return { role: resolved, servesApi: resolved !== 'worker', runsWorkers: resolved !== 'api' };
}

/** The worker role's HTTP server: probes and metrics, no API routes. */
export function healthOnlyApp(metrics: Metrics, readiness: Record<string, ReadinessCheck>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter(metrics, readiness));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'this is a worker process: only /healthz, /readyz and /metrics' } });
  });
  return app;
}

/**
 * `events_queue_depth`: messages ready in the service's queue, sampled every `intervalMs` by the
 * processes that consume (a KEDA/HPA external metric scales workers on it; outbox_backlog is the
 * other half: events stored and not yet published). Returns a stop function.
 */
export function startQueueDepthGauge(metrics: Metrics, bus: EventBus, intervalMs = 5_000): () => void {
  const gauge = new Gauge({
    name: 'events_queue_depth',
    help: 'Events ready in this service queue, not yet delivered to a consumer',
    registers: [metrics.registry],
  });
  const sample = async () => {
    try {
      const depth = await bus.queueDepth();
      if (depth !== undefined) gauge.set(depth);
    } catch {
      // broker away: keep the last value; /readyz reports the outage
    }
  };
  void sample();
  const timer = setInterval(() => void sample(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** /readyz turns 503 as soon as shutdown begins, so no new traffic is routed to a stopping pod. */
export function drainingCheck(isDraining: () => boolean): ReadinessCheck {
  return () => (isDraining() ? Promise.reject(new Error('draining: shutting down')) : Promise.resolve());
}
