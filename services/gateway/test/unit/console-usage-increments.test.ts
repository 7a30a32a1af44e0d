import { rollupWrites, type UsageRecord } from '../../src/console/domain/usage-increments';

const at = (iso: string) => new Date(iso);
const base: UsageRecord = {
  timestamp: at('2026-11-30T10:15:00Z'),
  keyId: 'key_a',
  organisationId: 'org_a',
  garageId: 'gar_1',
  method: 'GET',
  route: '/api/v1/garages/:garageId/customers',
  status: 200,
  latencyMs: 12,
  responseBytes: 300,
  userAgent: 'fleet/1.0',
  clientIp: '10.0.0.1',
  errorCode: null,
};

describe('console usage rollups from audit batches', () => {
  it('when a batch spans two hours, then each hour, day, key-hour and key total gets one upsert with summed counters', () => {
    const writes = rollupWrites([
      base,
      { ...base, timestamp: at('2026-11-30T10:45:00Z'), status: 404, errorCode: 'RESOURCE_NOT_FOUND', responseBytes: 100 },
      { ...base, timestamp: at('2026-11-30T11:05:00Z'), method: 'POST' },
      { ...base, keyId: null, organisationId: null }, // no key, no organisation: nobody to report to
    ]);
    const byId = Object.fromEntries(writes.map((w) => [`${w.kind} ${w.id}`, w]));

    expect(writes.map((w) => w.kind).sort()).toEqual(['daily', 'hourly', 'hourly', 'keyDaily', 'keyHourly', 'keyHourly', 'keyTotals']);
    const ten = byId['hourly org_a|2026-11-30T10:00:00.000Z']!;
    expect(ten.inc).toMatchObject({ c: 2, e: 1, b: 400, 'm.GET.c': 2, 'm.GET.e': 1, 'g.gar_1.c': 2, 'ip.10%2E0%2E0%2E1': 2, 'k.key_a.m.GET': 2 });
    expect(ten.inc['err.404|RESOURCE_NOT_FOUND.c']).toBe(1);
    expect(byId['daily org_a|2026-11-30T00:00:00.000Z']!.inc).toMatchObject({ c: 3, 'hod.10': 2, 'hod.11': 1, 'm.POST.c': 1 });
    const cell = byId['keyHourly org_a|key_a|2026-11-30T10:00:00.000Z']!.inc;
    expect(cell['cell.gar_1|GET|2xx|/api/v1/garages/:garageId/customers.c']).toBe(1);
    expect(cell['cell.gar_1|GET|4xx|/api/v1/garages/:garageId/customers.c']).toBe(1);
    expect(byId['keyTotals key_a']).toMatchObject({ inc: { c: 3, e: 1 }, min: { first: at('2026-11-30T10:15:00Z') }, max: { last: at('2026-11-30T11:05:00Z') } });
  });
});
