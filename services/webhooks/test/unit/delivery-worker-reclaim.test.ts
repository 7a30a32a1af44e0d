import { createLogger } from '@pitlane/core';

import { DeliveryWorker } from '../../src/application/delivery/delivery-worker';
import type { Job } from '../../src/application/delivery/endpoint-lanes';
import { readConfig } from '../../src/config';
import type { ClaimedDelivery, DeliveryQueue } from '../../src/data-access/delivery-queue.repository';
import type { Endpoint, WebhooksRepository } from '../../src/data-access/webhooks.repository';

const endpoint = { id: 'wh_1', rateLimit: null } as unknown as Endpoint;
const claim = (): ClaimedDelivery =>
  ({ id: 'del_1', webhookId: 'wh_1', leaseUntil: new Date(Date.now() + 10_000), scheduleIndex: 0 }) as unknown as ClaimedDelivery;

/** A worker whose attempts run until the test ends them; the queue only records what is given back. */
function workerWithSlowAttempts() {
  const attempts: Job[] = [];
  const finish: (() => void)[] = [];
  const released: string[][] = [];
  const queue = {
    findDue: () => Promise.resolve([]),
    purgeFinished: () => Promise.resolve(0),
    extendLeases: () => Promise.resolve(),
    release: (ids: string[]) => {
      released.push(ids);
      return Promise.resolve();
    },
    flush: () => Promise.resolve(),
  } as unknown as DeliveryQueue;
  const worker = new DeliveryWorker({
    config: readConfig({ INTERNAL_JWT_SECRET: 'x'.repeat(32), WEBHOOK_SECRETS_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, WEBHOOK_POLL_INTERVAL_MS: '60000' }),
    queue,
    webhooks: { reserveSendSlot: () => Promise.resolve(Date.now()) } as unknown as WebhooksRepository,
    logger: createLogger('worker-test', 'silent'),
    attempt: (job) => {
      attempts.push(job);
      return new Promise<void>((resolve) => finish.push(resolve));
    },
  });
  return { worker, attempts, released, finishAll: () => finish.splice(0).forEach((resolve) => resolve()) };
}

describe('delivery worker: a claim of a delivery it already holds', () => {
  let running: ReturnType<typeof workerWithSlowAttempts> | undefined;
  afterEach(async () => {
    running?.finishAll();
    await running?.worker.stop();
  });

  it('when its job has not recorded an outcome yet, then that job sends it and the claim adds nothing', async () => {
    running = workerWithSlowAttempts();
    running.worker.start();
    running.worker.dispatch(claim(), endpoint);
    await new Promise((resolve) => setImmediate(resolve));
    running.worker.dispatch(claim(), endpoint); // the lease had run out while queued; our own poll took it again
    await new Promise((resolve) => setImmediate(resolve));
    expect(running.attempts).toHaveLength(1);
    expect(running.released).toEqual([]);
  });

  it('when its job is recording the outcome, then the new claim is given back for the next poll instead of being ignored (and waiting out its lease)', async () => {
    running = workerWithSlowAttempts();
    running.worker.start();
    running.worker.dispatch(claim(), endpoint);
    await new Promise((resolve) => setImmediate(resolve));
    const [first] = running.attempts as [Job];
    first.delivery.leaseEnding = true; // what DeliveryQueue does as it starts the outcome's write
    running.worker.dispatch(claim(), endpoint); // a retry due at once, claimed by the poll meanwhile
    await new Promise((resolve) => setImmediate(resolve));
    expect(running.attempts).toHaveLength(1);
    expect(running.released).toEqual([['del_1']]);
  });
});
