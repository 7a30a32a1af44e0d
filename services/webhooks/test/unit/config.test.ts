import { disablePolicyOf, leaseMsOf, readConfig, retryPolicyOf } from '../../src/config';

const env = { INTERNAL_JWT_SECRET: 'x'.repeat(32) };

describe('webhooks configuration', () => {
  it('when nothing is set, then Svix-like defaults apply and the lease outlives an attempt', () => {
    const config = readConfig(env);
    expect(config.WEBHOOK_RETRY_SCHEDULE_MS).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(retryPolicyOf(config)).toEqual({ scheduleMs: config.WEBHOOK_RETRY_SCHEDULE_MS, jitter: 0.2, maxRetryAfterMs: 3_600_000 });
    expect(disablePolicyOf(config)).toEqual({ afterFailures: 100, afterMs: 5 * 24 * 60 * 60 * 1000 });
    expect(leaseMsOf(config)).toBe(10_000 * 2 + 10_000);
    expect(leaseMsOf(readConfig({ ...env, WEBHOOK_LEASE_MS: '60000' }))).toBe(60_000);
  });

  it('when the configuration is unsafe or malformed, then the service refuses to start and names each variable', () => {
    expect(() => readConfig({ ...env, WEBHOOK_RETRY_SCHEDULE_MS: '5s,1m' })).toThrow(/WEBHOOK_RETRY_SCHEDULE_MS/);
    expect(() => readConfig({ ...env, WEBHOOK_RETRY_SCHEDULE_MS: '100,-5' })).toThrow(/WEBHOOK_RETRY_SCHEDULE_MS/);
    expect(() => readConfig({ ...env, WEBHOOK_TIMEOUT_MS: '10000', WEBHOOK_LEASE_MS: '12000' })).toThrow(/WEBHOOK_LEASE_MS/);
    expect(() => readConfig({ ...env, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
    expect(() => readConfig({ ...env, WEBHOOK_SECRETS_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/WEBHOOK_SECRETS_KEY/);
  });
});
