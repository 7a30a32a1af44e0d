import { waitFor } from '@pitlane/testing';

import { EndpointLanes, type Job } from '../../src/application/delivery/endpoint-lanes';

const job = (endpointId: string, rateLimit: number | null = null, id = `del_${Math.random()}`) =>
  ({ delivery: { id }, endpoint: { id: endpointId, rateLimit } }) as unknown as Job;
const options = { concurrency: 1, maxInFlight: 10, queueLimit: 2 };

describe('endpoint lanes (no failure is lost)', () => {
  it('when an attempt rejects, then the failure is reported and the lane goes on with the next job', async () => {
    const reported: string[] = [];
    const ran: string[] = [];
    const lanes = new EndpointLanes(
      options,
      (current) => {
        ran.push(current.delivery.id);
        return current.delivery.id === 'first' ? Promise.reject(new Error('boom')) : Promise.resolve();
      },
      () => Promise.resolve(Date.now()),
      (error, what, endpointId) => reported.push(`${endpointId}: ${what}: ${(error as Error).message}`),
    );
    expect(lanes.push(job('ep_1', null, 'first'))).toBe(true);
    expect(lanes.push(job('ep_1', null, 'second'))).toBe(true);
    await waitFor(() => ran.length === 2, { timeoutMs: 1000 });
    await lanes.idle();
    expect(ran).toEqual(['first', 'second']);
    expect(reported).toEqual(['ep_1: delivery attempt failed: boom']);
  });

  it('when the shared rate-limit slot cannot be reserved, then it is reported and the job still runs, spaced locally', async () => {
    const reported: string[] = [];
    let ran = 0;
    const lanes = new EndpointLanes(
      options,
      () => {
        ran++;
        return Promise.resolve();
      },
      () => Promise.reject(new Error('database unreachable')),
      (_error, what) => reported.push(what),
    );
    lanes.push(job('ep_limited', 50));
    await waitFor(() => ran === 1, { timeoutMs: 1000 });
    expect(reported).toEqual(['shared rate-limit slot not reserved; spacing locally']);
  });

  it("when an endpoint's queue is full, then it refuses more jobs and names the endpoint as full", () => {
    const lanes = new EndpointLanes(options, () => new Promise<void>(() => undefined), () => Promise.resolve(0), () => undefined);
    expect(lanes.push(job('ep_busy'))).toBe(true); // runs (hangs)
    expect(lanes.push(job('ep_busy'))).toBe(true);
    expect(lanes.push(job('ep_busy'))).toBe(true);
    expect(lanes.push(job('ep_busy'))).toBe(false);
    expect(lanes.fullEndpoints()).toEqual(['ep_busy']);
    expect(lanes.canAccept('ep_other')).toBe(true);
    expect(lanes.drain()).toHaveLength(2);
  });

  it('when a job the worker already holds must be queued, then the full lane takes it anyway', () => {
    const lanes = new EndpointLanes(options, () => new Promise<void>(() => undefined), () => Promise.resolve(0), () => undefined);
    for (let i = 0; i < 3; i++) lanes.push(job('ep_busy')); // one runs (hangs), two wait: full
    expect(lanes.canAccept('ep_busy')).toBe(false);
    expect(lanes.push(job('ep_busy'), true)).toBe(true);
    expect(lanes.queued('ep_busy')).toBe(3);
  });
});
