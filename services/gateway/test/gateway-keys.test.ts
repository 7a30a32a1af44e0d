import { json, testNames, waitFor } from '@pitlane/testing';

import type { GatewayService } from '../src/service';
import { provisioningFor, startTestGateway, tenant } from './factories';

const names = testNames(__filename);

describe('gateway: key lifecycle across instances', () => {
  let first: GatewayService;
  let second: GatewayService;

  beforeAll(async () => {
    // two instances on one database and Redis, like a scaled-out deployment; long cache TTL so only
    // the broadcast can explain a fast revoke
    [first, second] = await Promise.all([
      startTestGateway(names, { KEY_CACHE_TTL_MS: '600000' }),
      startTestGateway(names, { KEY_CACHE_TTL_MS: '600000' }),
    ]);
  });

  afterAll(async () => {
    await first.connection.dropDatabase();
    await Promise.all([first.close(), second.close()]);
  });

  const status = async (gateway: GatewayService, key: string) =>
    (await fetch(`${gateway.url}/api/v1/garages`, { headers: { 'x-api-key': key } })).status;

  it('when a key is revoked, then every gateway instance refuses it within one second', async () => {
    const { rawKey, keyId } = await tenant(provisioningFor(first), 'org_revoke');
    expect(await status(first, rawKey)).toBe(200); // now cached in both
    expect(await status(second, rawKey)).toBe(200);

    const revokedAt = Date.now();
    await provisioningFor(first).revokeKey(keyId);

    await waitFor(async () => (await status(first, rawKey)) === 401 && (await status(second, rawKey)) === 401, {
      timeoutMs: 1_000,
      intervalMs: 20,
      message: 'a gateway still accepts the revoked key after 1 s',
    });
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    const response = await fetch(`${second.url}/api/v1/garages`, { headers: { 'x-api-key': rawKey } });
    expect((await json(response)).error?.code).toBe('API_KEY_REVOKED');
  });

  it('when a key is rotated without grace, then the new key works and the old one stops at once everywhere', async () => {
    const provisioning = provisioningFor(first);
    const { rawKey, keyId } = await tenant(provisioning, 'org_rotate_now', { permission: 'read' });
    expect(await status(second, rawKey)).toBe(200);

    const rotated = await provisioning.rotateKey(keyId);

    expect(rotated.key).toMatchObject({ permission: 'read', organisationId: 'org_rotate_now', name: 'k' });
    expect(await status(first, rotated.rawKey)).toBe(200);
    await waitFor(async () => (await status(second, rawKey)) === 401, { timeoutMs: 1_000, intervalMs: 20 });
  });

  it('when a key is rotated with a grace period, then both keys work until it ends, then only the new one', async () => {
    const provisioning = provisioningFor(first);
    const { rawKey, keyId } = await tenant(provisioning, 'org_rotate_grace');
    expect(await status(second, rawKey)).toBe(200);

    const rotated = await provisioning.rotateKey(keyId, 1);

    expect(await status(first, rawKey)).toBe(200);
    expect(await status(second, rawKey)).toBe(200);
    expect(await status(second, rotated.rawKey)).toBe(200);
    const refusal = async () => (await json(await fetch(`${second.url}/api/v1/garages`, { headers: { 'x-api-key': rawKey } }))).error?.code;
    expect(await waitFor(refusal, { timeoutMs: 3_000, intervalMs: 50 })).toBe('API_KEY_EXPIRED');
    expect(Date.now()).toBeGreaterThanOrEqual(rotated.oldKeyExpiresAt.getTime()); // not refused before the grace ended
    expect(await status(first, rotated.rawKey)).toBe(200);
  });

  it('when keys are created in parallel past the maximum, then exactly the maximum are active', async () => {
    const provisioning = provisioningFor(first);
    await tenant(provisioning, 'org_max', { maxActiveKeys: 3 }); // one key already

    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => provisioning.createKey({ organisationId: 'org_max', name: `k${i}`, permission: 'read' })),
    );

    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(2);
    const refusals = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(refusals).toHaveLength(8);
    expect(refusals[0]?.reason).toMatchObject({ code: 'KEY_LIMIT_REACHED', status: 409 });

    const [victim] = (await provisioning.listKeys('org_max')).filter((k) => k.status === 'active');
    await provisioning.revokeKey(victim!._id);
    await expect(provisioning.createKey({ organisationId: 'org_max', name: 'again', permission: 'read' })).resolves.toBeDefined();
  });

  it('when keys are listed, then no hash or raw key is kept, only the display prefix', async () => {
    const provisioning = provisioningFor(first);
    const { rawKey } = await tenant(provisioning, 'org_listing');
    const [stored] = await provisioning.listKeys('org_listing');
    expect(rawKey).toMatch(/^pl_live_[0-9A-Za-z]{40}$/);
    expect(stored?.prefix).toBe(`${rawKey.slice(0, 12)}…`);
    expect(JSON.stringify(stored)).not.toContain(rawKey);
    expect(stored?.keyHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
