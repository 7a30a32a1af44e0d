import { Router } from 'express';

import type { Metrics } from './metrics';

/** A named dependency check for /readyz: resolves when the dependency answers. */
export type ReadinessCheck = () => Promise<void>;

/** One dependency's answer in the /readyz body. */
export type CheckResult = { status: 'up' } | { status: 'down'; error: string };

export function healthRouter(metrics: Metrics, checks: Record<string, ReadinessCheck>, timeoutMs = 2000): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
        try {
          await withTimeout(check(), timeoutMs);
          return [name, { status: 'up' }];
        } catch (error) {
          return [name, { status: 'down', error: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
    const ready = results.every(([, result]) => result.status === 'up');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries<CheckResult>(results) });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
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
