import { startTcpProxy, testNames, waitFor } from '@pitlane/testing';

import { gatewayWithEcho, provisioningFor, startTestGateway, tenant } from './factories';

const names = testNames(__filename);

describe('gateway: audit and usage records', () => {
  const running = gatewayWithEcho(names, { AUDIT_FLUSH_MS: '50' });

  const records = () => running.gateway.connection.collection('audit_records');

  it('when partners call the API, then one record per request is written with who, what and how it went', async () => {
    const { rawKey, keyId, garageId } = await tenant(provisioningFor(running.gateway), 'org_audit');

    await fetch(`${running.gateway.url}/api/v1/garages/${garageId}/bookings/b123abc/status?x=1`, {
      method: 'POST',
      headers: { 'x-api-key': rawKey, 'user-agent': 'fleet-dashboard/2.1', 'x-request-id': 'audit-1', 'content-type': 'application/json' },
      body: '{"status":"confirmed"}',
    });
    await fetch(`${running.gateway.url}/api/v1/garages/gar_nope`, { headers: { 'x-api-key': rawKey, 'x-request-id': 'audit-2' } });
    await fetch(`${running.gateway.url}/api/v1/garages`, { headers: { 'x-request-id': 'audit-3' } });

    const written = await waitFor(async () => {
      const docs = await records().find({ requestId: { $in: ['audit-1', 'audit-2', 'audit-3'] } }).toArray();
      return docs.length === 3 ? docs : undefined;
    });
    const byId = Object.fromEntries(written.map((doc) => [doc.requestId as string, doc]));
    expect(byId['audit-1']).toMatchObject({
      keyId,
      organisationId: 'org_audit',
      garageId,
      method: 'POST',
      route: '/api/v1/garages/:garageId/bookings/:id/status',
      status: 200,
      userAgent: 'fleet-dashboard/2.1',
      errorCode: null,
    });
    expect(byId['audit-1']?.responseBytes).toBeGreaterThan(20);
    expect(byId['audit-1']?.latencyMs).toBeGreaterThan(0);
    expect(byId['audit-1']?.clientIp).toMatch(/127\.0\.0\.1/);
    expect(byId['audit-2']).toMatchObject({ keyId, status: 404, errorCode: 'RESOURCE_NOT_FOUND' });
    expect(byId['audit-3']).toMatchObject({ keyId: null, status: 401, errorCode: 'API_KEY_MISSING' });
  });

  it('when the database is down, then requests are not slowed and the records are written once it is back', async () => {
    const proxy = await startTcpProxy(process.env.MONGO_URL!);
    const isolatedNames = testNames(`${__filename}-db-down`);
    const isolated = await startTestGateway(isolatedNames, { MONGO_URL: proxy.url, AUDIT_FLUSH_MS: '50' });
    try {
      const { rawKey } = await tenant(provisioningFor(isolated), 'org_audit_outage');
      const call = (i: number) =>
        fetch(`${isolated.url}/api/v1/garages/gar_org_audit_outage`, { headers: { 'x-api-key': rawKey, 'x-request-id': `outage-${i}` } });
      expect((await call(0)).status).toBe(200); // key and garage now cached

      proxy.cut();
      const started = Date.now();
      const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i + 1)));
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(Date.now() - started).toBeLessThan(1_000);

      proxy.restore();
      const audit = isolated.connection.collection('audit_records');
      await waitFor(async () => (await audit.countDocuments({ requestId: { $in: Array.from({ length: 21 }, (_, i) => `outage-${i}`) } })) === 21, {
        timeoutMs: 20_000,
        message: 'audit records were not written after the database came back',
      });
    } finally {
      proxy.restore();
      await isolated.connection.dropDatabase();
      await isolated.close();
      await proxy.close();
    }
  });
});
