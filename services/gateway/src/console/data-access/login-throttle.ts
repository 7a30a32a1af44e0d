import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

const WINDOW_SECONDS = 15 * 60;

/**
 * Failed console logins per account and per client address, counted in Redis (shared by every gateway
 * instance; an in-memory limiter takes over while Redis is away). Only failures count, so a user who
 * knows their password is never locked out by their own successful logins.
 */
export class LoginThrottle {
  private readonly perAccount: RateLimiterRedis;
  private readonly perIp: RateLimiterRedis;

  constructor(redis: Redis, accountFails: number, ipFails: number) {
    const make = (points: number, keyPrefix: string) =>
      new RateLimiterRedis({
        storeClient: redis,
        points,
        duration: WINDOW_SECONDS,
        blockDuration: WINDOW_SECONDS,
        keyPrefix,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: `${keyPrefix}:memory` }),
      });
    this.perAccount = make(accountFails, 'console-login:account');
    this.perIp = make(ipFails, 'console-login:ip');
  }

  /** true when either the account or the address has used up its failures. */
  async isLocked(email: string, ip: string): Promise<boolean> {
    const [account, address] = await Promise.all([this.perAccount.get(email), this.perIp.get(ip)]);
    const over = (state: typeof account, points: number) => state !== null && state.consumedPoints >= points;
    return over(account, this.perAccount.points) || over(address, this.perIp.points);
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    // a rejection only means the limit is now reached: that is what isLocked() reads next time
    await Promise.allSettled([this.perAccount.consume(email), this.perIp.consume(ip)]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.perAccount.delete(email);
  }
}
