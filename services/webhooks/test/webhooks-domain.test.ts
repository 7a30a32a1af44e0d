import { readConfig } from '../src/config';
import { startOfLocalDay } from '../src/domain/local-day';
import { nextRetry, parseRetryAfter } from '../src/domain/retry-schedule';
import { SecretBox } from '../src/domain/secret-box';
import { sign } from '../src/domain/signature';

describe('webhooks domain rules (hand-computed cases)', () => {
  it('when a message is signed, then the signature matches the Standard Webhooks reference vector', () => {
    const signature = sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('when a retry is scheduled, then jitter stays within bounds, Retry-After wins (capped) and the schedule ends', () => {
    const policy = { scheduleMs: [5_000, 300_000], jitter: 0.2, maxRetryAfterMs: 3_600_000 };
    expect(nextRetry(policy, 0, null, () => 0)).toEqual({ delayMs: 4_000, nextScheduleIndex: 1 });
    expect(nextRetry(policy, 0, null, () => 1)).toEqual({ delayMs: 6_000, nextScheduleIndex: 1 });
    expect(nextRetry(policy, 1, null, () => 0.5)).toEqual({ delayMs: 300_000, nextScheduleIndex: 2 });
    expect(nextRetry(policy, 1, 120_000)).toEqual({ delayMs: 120_000, nextScheduleIndex: 2 });
    expect(nextRetry(policy, 0, 86_400_000)?.delayMs).toBe(3_600_000);
    expect(nextRetry(policy, 2, null)).toBeNull();
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 21:00:30 GMT', Date.parse('2026-11-25T21:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it("when a garage's day starts, then the instant follows its time zone, also on clock-change days", () => {
    expect(startOfLocalDay('2026-11-25', 'Europe/London').toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(startOfLocalDay('2026-07-01', 'Europe/London').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(startOfLocalDay('2026-11-25', 'Asia/Dubai').toISOString()).toBe('2026-11-24T20:00:00.000Z');
    expect(startOfLocalDay('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-11-25', 'Not/AZone').toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });

  it('when the configuration is unsafe or malformed, then the service refuses to start and names each variable', () => {
    const env = { INTERNAL_JWT_SECRET: 'x'.repeat(32) };
    expect(readConfig(env).WEBHOOK_RETRY_SCHEDULE_MS).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(() => readConfig({ ...env, WEBHOOK_RETRY_SCHEDULE_MS: '5s,1m' })).toThrow(/WEBHOOK_RETRY_SCHEDULE_MS/);
    expect(() => readConfig({ ...env, WEBHOOK_TIMEOUT_MS: '10000', WEBHOOK_LEASE_MS: '12000' })).toThrow(/WEBHOOK_LEASE_MS/);
    expect(() => readConfig({ ...env, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
  });

  it('when a secret is sealed, then only the same key opens it and tampering is detected', () => {
    const box = new SecretBox(Buffer.alloc(32, 1));
    const sealed = box.seal('whsec_abc');
    expect(sealed).toMatch(/^enc:v1:/);
    expect(box.seal('whsec_abc')).not.toBe(sealed); // fresh IV each time
    expect(box.open(sealed)).toBe('whsec_abc');
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed)).toThrow();
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(null).open(sealed)).toThrow(/WEBHOOK_SECRETS_KEY/);
    expect(new SecretBox(null).seal('whsec_plain')).toBe('whsec_plain');
    expect(box.open('whsec_plain')).toBe('whsec_plain');
  });
});
