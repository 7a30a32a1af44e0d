import { crashResendBoundMsOf, disablePolicyOf, leaseMsOf, readConfig, retryPolicyOf, secretKeysOf } from '../../src/config';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
const env = { INTERNAL_JWT_SECRET: 'x'.repeat(32), WEBHOOK_SECRETS_KEYS: `k1:${KEY_A}` };

describe('webhooks configuration', () => {
  it('when nothing is set, then Svix-like defaults apply and the lease outlives an attempt', () => {
    const config = readConfig(env);
    expect(config.WEBHOOK_RETRY_SCHEDULE_MS).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(retryPolicyOf(config)).toEqual({ scheduleMs: config.WEBHOOK_RETRY_SCHEDULE_MS, jitter: 0.2, maxRetryAfterMs: 3_600_000 });
    expect(disablePolicyOf(config)).toEqual({ afterFailures: 100, afterMs: 5 * 24 * 60 * 60 * 1000 });
    // a short lease (the crash window) kept alive by a heartbeat, not a lease as long as an attempt
    expect(leaseMsOf(config)).toBe(10_000);
    expect(config.WEBHOOK_LEASE_HEARTBEAT_MS).toBe(3_000);
    expect(crashResendBoundMsOf(config)).toBe(11_000);
    expect(leaseMsOf(readConfig({ ...env, WEBHOOK_LEASE_MS: '60000' }))).toBe(60_000);
    // the attempt's timeout may be longer than the lease
    expect(leaseMsOf(readConfig({ ...env, WEBHOOK_TIMEOUT_MS: '30000', WEBHOOK_LEASE_MS: '9000' }))).toBe(9_000);
  });

  it('when the configuration is unsafe or malformed, then the service refuses to start and names each variable', () => {
    expect(() => readConfig({ ...env, WEBHOOK_RETRY_SCHEDULE_MS: '5s,1m' })).toThrow(/WEBHOOK_RETRY_SCHEDULE_MS/);
    expect(() => readConfig({ ...env, WEBHOOK_RETRY_SCHEDULE_MS: '100,-5' })).toThrow(/WEBHOOK_RETRY_SCHEDULE_MS/);
    // a lease must survive two missed heartbeats
    expect(() => readConfig({ ...env, WEBHOOK_LEASE_MS: '8999', WEBHOOK_LEASE_HEARTBEAT_MS: '3000' })).toThrow(
      /WEBHOOK_LEASE_MS: must be at least 3 × WEBHOOK_LEASE_HEARTBEAT_MS/,
    );
    expect(() => readConfig({ ...env, WEBHOOK_LEASE_HEARTBEAT_MS: '0' })).toThrow(/WEBHOOK_LEASE_HEARTBEAT_MS/);
    expect(() => readConfig({ ...env, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
    expect(() => readConfig({ ...env, WEBHOOK_SECRETS_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/WEBHOOK_SECRETS_KEY/);
  });

  it('when no secrets key is given, then the service refuses to start (in production and everywhere else) and names the variable', () => {
    const { WEBHOOK_SECRETS_KEYS: _keys, ...withoutKey } = env;
    expect(() => readConfig({ ...withoutKey, NODE_ENV: 'production' })).toThrow(/WEBHOOK_SECRETS_KEYS: is required/);
    expect(() => readConfig(withoutKey)).toThrow(/WEBHOOK_SECRETS_KEYS: is required/);
    expect(() => readConfig({ ...withoutKey, WEBHOOK_SECRETS_KEYS: ' ' })).toThrow(/WEBHOOK_SECRETS_KEYS: is required/);
    expect(() => readConfig({ ...env, WEBHOOK_SECRETS_KEYS: KEY_A })).toThrow(/WEBHOOK_SECRETS_KEYS/);
    // the error names the variable and the problem, never the key
    expect(() => readConfig({ ...env, WEBHOOK_SECRETS_KEYS: `k1:${KEY_A},k1:${KEY_B}` })).toThrow(/appears twice/);
  });

  it('when several keys are given, then the first seals and the unnamed key of earlier releases opens last', () => {
    const keys = secretKeysOf(readConfig({ ...env, WEBHOOK_SECRETS_KEYS: `k2:${KEY_B},k1:${KEY_A}`, WEBHOOK_SECRETS_KEY: KEY_A }));
    expect(keys.map((key) => key.id)).toEqual(['k2', 'k1', 'k0']);
    // alone, the earlier single key still starts the service, as key "k0"
    const { WEBHOOK_SECRETS_KEYS: _keys, ...withoutKeys } = env;
    expect(secretKeysOf(readConfig({ ...withoutKeys, WEBHOOK_SECRETS_KEY: KEY_B }))).toEqual([{ id: 'k0', key: Buffer.alloc(32, 2) }]);
  });
});
