import { startHarness, type Harness } from './factories';

/** The date part of `instant` shifted by a fixed UTC offset (zones without daylight saving time). */
const dateAtOffset = (instant: string, hours: number) => new Date(Date.parse(instant) + hours * 3_600_000).toISOString().slice(0, 10);
const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

describe('GET /clock', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  it.each([
    ['Pacific/Kiritimati', '+14', 14],
    ['Pacific/Pago_Pago', '-11', -11],
  ])("when a garage in %s asks for its clock, then today is the date at UTC%s, whatever the partner's own zone", async (timezone, _label, offset) => {
    const garage = h.garage({ timezone });
    const before = Date.now();
    const reply = await garage.get('/clock');
    expect(reply.status).toBe(200);
    const { now, today, weekday } = reply.data as { now: string; today: string; weekday: string };
    expect(Date.parse(now)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(now)).toBeLessThanOrEqual(Date.now());
    expect(reply.data).toEqual({ garageId: garage.garage.garageId, timezone, now, today: dateAtOffset(now, offset), weekday: weekdays[new Date(`${today}T00:00:00Z`).getUTCDay()] });
    expect(weekdays).toContain(weekday);
  });

  it('when the call has no gateway token, then it is a 401 like every garage route', async () => {
    const response = await fetch(h.garage().url('/clock'));
    expect(response.status).toBe(401);
  });
});
