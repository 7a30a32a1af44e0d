import express, { Router, type Express } from 'express';

import type { Metrics } from './metrics';

/** A named dependency check for /readyz: resolves when the dependency answers. */
export type ReadinessCheck = () => Promise<void>;

/** One dependency's answer in the /readyz body. */
export type CheckResult = { status: 'up' } | { status: 'down' | 'degraded'; error: string };

export interface HealthOptions {
  /** checks whose failure degrades but does not stop service (e.g. the gateway's Redis: it limits in memory) */
  optional?: Record<string, ReadinessCheck>;
  /** false: no /metrics here (an internal port serves it) */
  exposeMetrics?: boolean;
  timeoutMs?: number;
}

/** /healthz (alive), /readyz (can serve: 503 only when a required dependency is down) and, unless
 * moved to an internal port, /metrics. */
export function healthRouter(metrics: Metrics, checks: Record<string, ReadinessCheck>, options: HealthOptions = {}): Router {
  const timeoutMs = options.timeoutMs ?? 2000;
  const run = (entries: Record<string, ReadinessCheck>, failed: 'down' | 'degraded') =>
    Promise.all(
      Object.entries(entries).map(async ([name, check]): Promise<[string, CheckResult]> => {
        try {
          await withTimeout(check(), timeoutMs);
          return [name, { status: 'up' }];
        } catch (error) {
          return [name, { status: failed, error: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [required, optional] = await Promise.all([run(checks, 'down'), run(options.optional ?? {}, 'degraded')]);
    const ready = required.every(([, result]) => result.status === 'up');
    const degraded = optional.some(([, result]) => result.status !== 'up');
    res.status(ready ? 200 : 503).json({
      status: ready ? (degraded ? 'degraded' : 'ready') : 'not_ready',
      checks: Object.fromEntries<CheckResult>([...required, ...optional]),
    });
  });
  if (options.exposeMetrics ?? true) router.get('/metrics', metricsHandler(metrics));
  return router;
}

function metricsHandler(metrics: Metrics): express.RequestHandler {
  return async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

/** The internal metrics app for METRICS_PORT: /metrics only (per-route totals across tenants are
 * not for the public port). Listen on it with `listen(metricsApp(metrics), config.METRICS_PORT)`. */
export function metricsApp(metrics: Metrics): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(metrics));
  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
