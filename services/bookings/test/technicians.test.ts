import { createCustomer, createVehicle, futureDate, putSchedule, startHarness, type Api, type Harness } from './factories';

const MONDAY = 1;

describe('technicians: a team on a booking, one on each stage', () => {
  let h: Harness;
  let api: Api;

  beforeAll(async () => {
    h = await startHarness(__filename);
    api = h.garage();
    await putSchedule(api);
  });
  afterAll(() => h.close());

  const technician = async (name: string) => (await api.post('/technicians', { name })).data.id as string;
  async function booking(extra: Record<string, unknown> = {}) {
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id, { vin: null });
    return api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(MONDAY), ...extra });
  }

  it('when a booking names several technicians, then the first is the lead, and both find it in their bookings and stats', async () => {
    const [lead, helper] = [await technician('Lead Lee'), await technician('Helper Hana')];
    expect((await booking({ technicianIds: [lead, 'tec_missing'] })).status).toBe(404);
    const created = await booking({ technicianIds: [lead, helper] });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ technicianId: lead, technicianIds: [lead, helper] });
    const b = created.data.id as string;
    const assigned = await h.events.next<{ booking: { bookingId: string; technicianIds: string[] } }>('booking.created', (e) => e.data.booking.bookingId === b);
    expect(assigned.data.booking.technicianIds).toEqual([lead, helper]);

    for (const status of ['confirmed', 'checked_in', 'in_progress', 'completed']) expect((await api.post(`/bookings/${b}/status`, { status })).status).toBe(200);
    const completed = await h.events.next<Record<string, unknown> & { booking: { bookingId: string } }>('booking.completed', (e) => e.data.booking.bookingId === b);
    expect(completed.data).toMatchObject({ technician: { id: lead, name: 'Lead Lee' }, technicians: [{ id: lead, name: 'Lead Lee' }, { id: helper, name: 'Helper Hana' }] });
    for (const id of [lead, helper]) {
      const list = await api.get(`/technicians/${id}/bookings`);
      expect(list.data.map((x: { id: string }) => x.id)).toEqual([b]);
      expect((await api.get(`/technicians/${id}/stats`)).data).toMatchObject({ completed: 1 });
      expect((await api.get(`/bookings?technicianId=${id}`)).data.map((x: { id: string }) => x.id)).toEqual([b]);
    }
  });

  it('when a booking is patched with a new lead or a new team, then technician.assigned goes out for each newcomer and the lead stays in technicianId', async () => {
    const [a, c, d] = [await technician('A'), await technician('C'), await technician('D')];
    const b = (await booking({ technicianId: a })).data.id as string;
    const patched = await api.patch(`/bookings/${b}`, { technicianIds: [c, a, d] });
    expect(patched.data).toMatchObject({ technicianId: a, technicianIds: [a, c, d] });
    for (const id of [c, d]) await h.events.next<{ booking: { bookingId: string }; technician: { id: string } }>('technician.assigned', (e) => e.data.booking.bookingId === b && e.data.technician.id === id);
    const lead = await api.post(`/bookings/${b}/technician`, { technicianId: d });
    expect(lead.data).toMatchObject({ technicianId: d, technicianIds: [d, c] });
    expect((await api.get(`/technicians/${a}/bookings`)).data).toEqual([]);
  });

  it('when a stage is given a technician, then an unknown one is a 404, a known one is stored and joins the booking team', async () => {
    const [lead, painter, welder] = [await technician('Lead'), await technician('Painter'), await technician('Welder')];
    const b = (await booking({ technicianId: lead })).data.id as string;
    expect((await api.post(`/bookings/${b}/stages`, { name: 'Paint', technicianId: 'tec_nobody' })).status).toBe(404);
    const stage = await api.post(`/bookings/${b}/stages`, { name: 'Paint', technicianId: painter });
    expect([stage.status, stage.data.technicianId]).toEqual([201, painter]);
    expect((await api.patch(`/bookings/${b}/stages/${stage.data.id}`, { technicianId: 'tec_nobody' })).status).toBe(404);
    const moved = await api.patch(`/bookings/${b}/stages/${stage.data.id}`, { technicianId: welder });
    expect(moved.data.technicianId).toBe(welder);
    const detail = (await api.get(`/bookings/${b}`)).data;
    expect(detail).toMatchObject({ technicianId: lead, technicianIds: [lead, painter, welder] });
    expect(detail.stages.map((s: { technicianId: string }) => s.technicianId)).toEqual([welder]);
    expect((await api.get(`/technicians/${welder}/bookings`)).data.map((x: { id: string }) => x.id)).toEqual([b]);
  });
});
