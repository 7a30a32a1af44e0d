import { waitFor } from '@pitlane/testing';

import { ESTIMATE_TOTAL, estimateLines, newGarage } from './factories';
import { startHarness, type Harness } from './harness';

const lines = estimateLines;
const TOTAL = ESTIMATE_TOTAL;

type EstimateEvent = { estimate: { estimateId: string; status: string; total: number } };

describe('estimate approval links', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  const tokenOf = (approvalUrl: string) => approvalUrl.split('/').pop() as string;

  it('when an estimate is sent and the customer approves through the link, then it is approved once and the link is spent', async () => {
    const garage = newGarage({ currency: 'KWD', timezone: 'Asia/Kuwait' });
    const { customer, vehicle } = await h.customerOf(garage);
    const estimate = (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, vehicleId: vehicle.id, lines })).body.data;
    expect(estimate.currency).toBe('KWD');

    const sent = await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, {});
    expect(sent.status).toBe(200);
    expect(sent.body.data).toMatchObject({ status: 'sent', id: estimate.id });
    const { approvalUrl } = sent.body.data;
    expect(approvalUrl).toMatch(/^https:\/\/pitlane\.example\/api\/v1\/public\/estimates\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(approvalUrl);
    const sentEvent = await h.events.next<EstimateEvent & { expiresAt: string }>('estimate.sent', (e) => e.data.estimate.estimateId === estimate.id);
    expect(sentEvent.data.expiresAt).toBe(sent.body.data.expiresAt);
    // only a hash of the token is stored anywhere
    const stored = await h.billing.connection.collection('estimates').findOne({ _id: estimate.id as never });
    expect(JSON.stringify(stored)).not.toContain(token);

    const view = await h.publicApi('GET', `/estimates/${token}`);
    expect(view.body.data).toMatchObject({ number: estimate.number, status: 'sent', total: TOTAL, currency: 'KWD' });
    expect(view.body.data.customerId).toBeUndefined();

    const approved = await h.publicApi('POST', `/estimates/${token}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.data.status).toBe('approved');
    await h.events.next<EstimateEvent>('estimate.approved', (e) => e.data.estimate.estimateId === estimate.id);

    const again = await h.publicApi('POST', `/estimates/${token}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('ESTIMATE_ALREADY_ANSWERED');
    expect((await h.publicApi('POST', `/estimates/${token}/reject`)).body.error?.code).toBe('ESTIMATE_ALREADY_ANSWERED');
    const patch = await h.api(garage, 'PATCH', `/estimates/${estimate.id}`, { notes: 'too late' });
    expect(patch.status).toBe(409);
    expect(patch.body.error?.code).toBe('INVALID_STATUS_TRANSITION');
    expect((await h.api(garage, 'GET', `/estimates/${estimate.id}`)).body.data).toMatchObject({ status: 'approved', answeredAt: expect.any(String) });
  });

  it('when two answers race on one link, then exactly one wins', async () => {
    const garage = newGarage();
    const { customer } = await h.customerOf(garage);
    const estimate = (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines })).body.data;
    const token = tokenOf((await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, {})).body.data.approvalUrl);
    const answers = await Promise.all([
      h.publicApi('POST', `/estimates/${token}/approve`),
      h.publicApi('POST', `/estimates/${token}/reject`, { reason: 'too expensive' }),
      h.publicApi('POST', `/estimates/${token}/approve`),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
  });

  it('when the customer rejects, then the reason is kept and estimate.rejected carries it', async () => {
    const garage = newGarage();
    const { customer } = await h.customerOf(garage);
    const estimate = (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines })).body.data;
    const token = tokenOf((await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, {})).body.data.approvalUrl);
    const rejected = await h.publicApi('POST', `/estimates/${token}/reject`, { reason: 'too expensive' });
    expect(rejected.body.data.status).toBe('rejected');
    const event = await h.events.next<EstimateEvent & { reason: string }>('estimate.rejected', (e) => e.data.estimate.estimateId === estimate.id);
    expect(event.data.reason).toBe('too expensive');
    expect((await h.api(garage, 'GET', `/estimates/${estimate.id}`)).body.data.rejectionReason).toBe('too expensive');
  });

  it('when the link has expired, then answering is a 409 ESTIMATE_EXPIRED and the estimate reads as expired', async () => {
    const garage = newGarage();
    const { customer } = await h.customerOf(garage);
    const estimate = (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines })).body.data;
    const expiresAt = new Date(Date.now() + 700).toISOString();
    const sent = await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, { expiresAt });
    const token = tokenOf(sent.body.data.approvalUrl);
    // the customer's view turns expired once expiresAt has passed: no fixed sleep
    await waitFor(async () => (await h.publicApi('GET', `/estimates/${token}`)).body.data?.status === 'expired', { message: 'the link never expired' });

    const late = await h.publicApi('POST', `/estimates/${token}/approve`);
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe('ESTIMATE_EXPIRED');
    expect((await h.api(garage, 'GET', `/estimates/${estimate.id}`)).body.data.status).toBe('expired');
    expect((await h.api(garage, 'GET', '/estimates?status=expired')).body.data.map((e: { id: string }) => e.id)).toEqual([estimate.id]);
    expect(h.events.ofType<EstimateEvent>('estimate.approved').some((e) => e.data.estimate.estimateId === estimate.id)).toBe(false);

    const past = await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, { expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
  });

  it('when a sent estimate is changed, then it goes back to draft, the old link dies, and a re-send makes a new one', async () => {
    const garage = newGarage();
    const { customer } = await h.customerOf(garage);
    const estimate = (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines })).body.data;
    const oldToken = tokenOf((await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, {})).body.data.approvalUrl);

    const changed = await h.api(garage, 'PATCH', `/estimates/${estimate.id}`, { lines: [lines[0]], notes: 'pads not needed' });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ status: 'draft', total: 15000, notes: 'pads not needed', sentAt: null });
    expect((await h.publicApi('POST', `/estimates/${oldToken}/approve`)).status).toBe(404);

    const newToken = tokenOf((await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, {})).body.data.approvalUrl);
    expect(newToken).not.toBe(oldToken);
    const approved = await h.publicApi('POST', `/estimates/${newToken}/approve`);
    expect(approved.body.data).toMatchObject({ status: 'approved', total: 15000 });
  });


  it('when an estimate is sent several times at once, then exactly one link works: the last one written', async () => {
    const garage = newGarage();
    const { customer } = await h.customerOf(garage);
    const estimate = (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines })).body.data;
    const sends = await Promise.all(Array.from({ length: 4 }, () => h.api(garage, 'POST', `/estimates/${estimate.id}/send`, {})));
    expect(sends.every((s) => s.status === 200 || (s.status === 409 && s.body.error?.code === 'CONCURRENT_UPDATE'))).toBe(true);
    const tokens = sends.filter((s) => s.status === 200).map((s) => tokenOf(s.body.data.approvalUrl));
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    const views = await Promise.all(tokens.map((token) => h.publicApi('GET', `/estimates/${token}`)));
    expect(views.filter((v) => v.status === 200)).toHaveLength(1);
    await waitFor(() => h.events.ofType<EstimateEvent>('estimate.sent').filter((e) => e.data.estimate.estimateId === estimate.id).length === tokens.length);
  });
});
