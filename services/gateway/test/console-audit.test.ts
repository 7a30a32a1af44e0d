import { json, testNames } from '@pitlane/testing';

import type { AuditRecord } from '../src/data-access/audit-record.model';
import { consoleLogin, consoleUser } from './console-factories';
import { gatewayWithEcho, provisioningFor, tenant } from './factories';

const names = testNames(__filename);
const HOUR = 3_600_000;

interface Row { requestId: string; keyId: string | null; garageId: string | null; status: number; timestamp: string }

describe('console audit log viewer: raw records, filtered, newest first, page by page', () => {
  const running = gatewayWithEcho(names, { CONSOLE_JWT_SECRET: 'console-audit-secret-at-least-32-characters' });

  /** Everything the viewer answers for a query, following nextCursor; also the size of each page. */
  async function allPages(call: (path: string) => Promise<Response>, query: string) {
    const rows: Row[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await call(`/audit?${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      const data = (await json(response)).data as { items: Row[]; nextCursor: string | null };
      rows.push(...data.items);
      sizes.push(data.items.length);
      cursor = data.nextCursor;
    } while (cursor);
    return { rows, sizes };
  }

  it('when the gateway stores hundreds of records, then the owner pages through all of theirs by cursor and filters by key, garage, status and date', async () => {
    const a = await tenant(provisioningFor(running.gateway), 'org_audit_view_a');
    const b = await tenant(provisioningFor(running.gateway), 'org_audit_view_b');
    const second = (await provisioningFor(running.gateway).createKey({ organisationId: a.organisationId, name: 'second', permission: 'read' })).key._id;
    const now = Date.now();
    const made: AuditRecord[] = [];
    const write = (record: AuditRecord) => {
      made.push(record);
      running.gateway.context.audit.record(record);
    };
    // 450 records over the last three hours (oldest first, as the gateway would store them): more than two buckets an hour
    for (let i = 0; i < 450; i++) {
      write({
        timestamp: new Date(now - (450 - i) * 20_000), requestId: `view-${String(i).padStart(4, '0')}`,
        keyId: i % 2 ? second : a.keyId, organisationId: a.organisationId, garageId: i % 3 ? a.garageId : null,
        method: 'GET', route: '/api/v1/garages/:garageId/customers', status: i % 7 ? 200 : 404, latencyMs: 3, responseBytes: 120,
        userAgent: 'fleet/1', clientIp: '10.1.1.1', errorCode: i % 7 ? null : 'RESOURCE_NOT_FOUND',
      });
    }
    const threeDaysAgo = new Date(now - 72 * HOUR);
    write({ ...made[0]!, timestamp: threeDaysAgo, requestId: 'view-old' });
    for (let i = 0; i < 5; i++) write({ ...made[0]!, organisationId: b.organisationId, keyId: b.keyId, requestId: `view-other-${i}` });
    await running.gateway.context.audit.flush();
    const owner = await consoleUser(running.gateway, a.organisationId, 'owner');
    const { call } = await consoleLogin(running.gateway, owner.email, owner.password);
    const mine = made.filter((r) => r.organisationId === a.organisationId);

    const everything = await allPages(call, 'limit=100');
    expect(everything.rows.map((r) => r.requestId)).toEqual([...mine].sort((x, y) => +y.timestamp - +x.timestamp).map((r) => r.requestId));
    expect(everything.sizes).toEqual([100, 100, 100, 100, 51]);

    const keyErrors = await allPages(call, `limit=10&keyId=${second}&status=404`);
    const expected = mine.filter((r) => r.keyId === second && r.status === 404);
    expect(keyErrors.rows.map((r) => r.requestId).sort()).toEqual(expected.map((r) => r.requestId).sort());
    expect(expected.length).toBeGreaterThan(20);

    const organisationLevel = await allPages(call, `limit=100&garageId=${a.garageId}`);
    expect(organisationLevel.rows).toHaveLength(mine.filter((r) => r.garageId === a.garageId).length);

    const day = threeDaysAgo.toISOString().slice(0, 10);
    const old = await allPages(call, `dateFrom=${day}&dateTo=${day}`);
    expect(old.rows.map((r) => r.requestId)).toEqual(['view-old']);

    const other = await consoleUser(running.gateway, b.organisationId, 'viewer');
    const theirs = await allPages((await consoleLogin(running.gateway, other.email, other.password)).call, 'limit=100');
    expect(theirs.rows.map((r) => r.requestId).sort()).toEqual(['view-other-0', 'view-other-1', 'view-other-2', 'view-other-3', 'view-other-4']);
  });

  it('when a late batch lands in a closed day after the analytics and keys were viewed, then the next views count it', async () => {
    const { organisationId, keyId, garageId } = await tenant(provisioningFor(running.gateway), 'org_audit_view_late');
    const owner = await consoleUser(running.gateway, organisationId, 'owner');
    const { call } = await consoleLogin(running.gateway, owner.email, owner.password);
    const twoDaysAgo = new Date(Date.now() - 48 * HOUR);
    const late = (requestId: string, status: number): AuditRecord => ({
      timestamp: twoDaysAgo, requestId, keyId, organisationId, garageId, method: 'POST', route: '/api/v1/garages/:garageId/bookings', status,
      latencyMs: 9, responseBytes: 50, userAgent: 'late-sync/1', clientIp: '10.2.2.2', errorCode: status >= 400 ? 'VALIDATION_FAILED' : null,
    });
    running.gateway.context.audit.record(late('late-1', 200));
    await running.gateway.context.audit.flush();
    const before = (await json(await call('/usage/analytics'))).data;
    expect(before).toMatchObject({ totalRequests: 1, methods: [{ method: 'POST', count: 1 }] });
    const keyUsage = async () => (await json(await call('/keys'))).data.items.find((k: { id: string }) => k.id === keyId).usage;
    expect(await keyUsage()).toMatchObject({ requests30d: 1, errors30d: 0 });

    running.gateway.context.audit.record(late('late-2', 400));
    await running.gateway.context.audit.flush();
    const after = (await json(await call('/usage/analytics'))).data;

    expect(after).toMatchObject({ totalRequests: 2, methods: [{ method: 'POST', count: 2 }], topUserAgents: [{ userAgent: 'late-sync/1', count: 2 }] });
    expect(await keyUsage()).toMatchObject({ requests30d: 2, errors30d: 1, methods30d: { POST: 2 } });
    expect(after.recentErrors).toEqual([expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED', count: 1 })]);
  });

  it('when the cursor, dates or limit are not valid, then 400 VALIDATION_FAILED names the field', async () => {
    await tenant(provisioningFor(running.gateway), 'org_audit_view_bad');
    const owner = await consoleUser(running.gateway, 'org_audit_view_bad', 'owner');
    const { call } = await consoleLogin(running.gateway, owner.email, owner.password);

    for (const [query, field] of [['cursor=not-a-cursor', 'cursor'], ['dateFrom=2026-11-10&dateTo=2026-11-01', 'dateTo'], ['limit=0', 'limit'], ['dateFrom=2026-02-30', 'dateFrom']]) {
      const response = await call(`/audit?${query}`);
      expect(response.status).toBe(400);
      const body = await json(response);
      expect(body.error?.code).toBe('VALIDATION_FAILED');
      expect(body.error?.details?.map((d) => d.field)).toContain(field);
    }
  });
});
