import { checkResponse } from '@pitlane/testing';

import { createCustomer, createVehicle, futureDate, putSchedule, startHarness, type Api, type Harness } from './factories';

const MONDAY = 1;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('booking stages and attachments', () => {
  let h: Harness;
  let api: Api;
  let bookingId: string;

  beforeAll(async () => {
    h = await startHarness(__filename, { ATTACHMENT_MAX_BYTES: '2048' });
    api = h.garage();
    await putSchedule(api);
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id);
    bookingId = (await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(MONDAY) })).data.id;
  });
  afterAll(() => h.close());

  it('when a stage walks draft → open → in_progress → completed → invoiced → closed, then each step publishes stage.status_changed', async () => {
    const stage = await api.post(`/bookings/${bookingId}/stages`, { name: 'Diagnosis', description: 'check noise' });
    expect(stage.status).toBe(201);
    expect(stage.data).toMatchObject({ name: 'Diagnosis', status: 'draft' });
    const id = stage.data.id as string;
    let from = 'draft';
    for (const to of ['open', 'in_progress', 'completed', 'invoiced', 'closed']) {
      const reply = await api.post(`/bookings/${bookingId}/stages/${id}/status`, { status: to });
      expect([reply.status, reply.data?.status]).toEqual([200, to]);
      await h.events.next<{ stageId: string; from: string; to: string }>('stage.status_changed', (e) => e.data.stageId === id && e.data.from === from && e.data.to === to);
      from = to;
    }
    const again = await api.post(`/bookings/${bookingId}/stages/${id}/status`, { status: 'open' });
    expect(again.error).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', details: { allowed: [] } });
  });

  it('when a stage skips a step, is renamed or deleted, then skipping is a 409, renaming works and only draft/open stages can be deleted', async () => {
    const id = (await api.post(`/bookings/${bookingId}/stages`, { name: 'Paint' })).data.id as string;
    const skip = await api.post(`/bookings/${bookingId}/stages/${id}/status`, { status: 'completed' });
    expect(skip.error).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', details: { from: 'draft', allowed: ['open'] } });
    expect((await api.patch(`/bookings/${bookingId}/stages/${id}`, { name: 'Paint & polish' })).data.name).toBe('Paint & polish');
    for (const to of ['open', 'in_progress']) await api.post(`/bookings/${bookingId}/stages/${id}/status`, { status: to });
    expect((await api.delete(`/bookings/${bookingId}/stages/${id}`)).error?.code).toBe('STAGE_NOT_DELETABLE');
    const draft = (await api.post(`/bookings/${bookingId}/stages`, { name: 'Temp' })).data.id as string;
    expect((await api.delete(`/bookings/${bookingId}/stages/${draft}`)).status).toBe(204);
    const names = (await api.get(`/bookings/${bookingId}/stages`)).data.map((s: { name: string }) => s.name);
    expect(names).toEqual(['Diagnosis', 'Paint & polish']);
    expect((await api.patch(`/bookings/${bookingId}/stages/stg_nope`, { name: 'x' })).status).toBe(404);
  });

  async function upload(content: Buffer, type: string, name: string, id = bookingId) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)], { type }), name);
    const response = await fetch(api.url(`/bookings/${id}/attachments`), { method: 'POST', headers: api.headers(), body: form });
    await checkResponse('POST', response.url, response);
    return { status: response.status, body: (await response.json()) as { data?: { id: string; name: string; size: number; contentType: string }; error?: { code: string } } };
  }

  it('when an image and a PDF are uploaded, then they are listed with name, type, size, createdAt and download byte for byte', async () => {
    const png = await upload(PNG, 'image/png', 'dent.png');
    const pdf = await upload(PDF, 'application/pdf', 'estimate.pdf');
    expect(png.status).toBe(201);
    expect(pdf.body.data).toMatchObject({ name: 'estimate.pdf', contentType: 'application/pdf', size: PDF.length });
    const list = (await api.get(`/bookings/${bookingId}/attachments`)).data;
    expect(list.map((a: { name: string }) => a.name)).toEqual(['dent.png', 'estimate.pdf']);
    expect(list[0]).toMatchObject({ contentType: 'image/png', size: PNG.length, createdAt: expect.any(String) });
    const download = await fetch(api.url(`/bookings/${bookingId}/attachments/${png.body.data!.id}/content`), { headers: api.headers() });
    await checkResponse('GET', download.url, download);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    const other = h.garage();
    const elsewhere = await fetch(other.url(`/bookings/${bookingId}/attachments/${png.body.data!.id}/content`), { headers: other.headers() });
    await checkResponse('GET', elsewhere.url, elsewhere);
    expect(elsewhere.status).toBe(404);
  });

  it('when the file is of another type, lies about its type, or is too large, then 400, 400 and 413', async () => {
    expect((await upload(Buffer.from('MZ fake exe'), 'application/x-msdownload', 'virus.exe')).status).toBe(400);
    const liar = await upload(Buffer.from('just text'), 'image/png', 'fake.png');
    expect([liar.status, liar.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    const big = await upload(Buffer.concat([PDF, Buffer.alloc(4096)]), 'application/pdf', 'big.pdf');
    expect([big.status, big.body.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect((await upload(PNG, 'image/png', 'x.png', 'bk_nope')).status).toBe(404);
  });
});
