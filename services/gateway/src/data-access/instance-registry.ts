import { randomUUID } from 'node:crypto';

import type { Logger } from '@pitlane/core';
import type { Redis } from 'ioredis';

const KEY = 'gateway:instances';

/**
 * Each gateway instance renews its id in a Redis sorted set (score: last heartbeat) and reads how
 * many instances were alive in the last three heartbeats. The count is kept in memory, so while
 * Redis is away the last known fleet size still divides each key's budget across the in-memory
 * limiters: N instances × budget/N ≤ budget per window, however the load balancer spreads a key.
 */
export class InstanceRegistry {
  readonly id = randomUUID();
  private live = 1;
  private timer?: NodeJS.Timeout;
  private readonly listeners: ((count: number) => void)[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly heartbeatMs: number,
    private readonly logger: Logger,
  ) {}

  get count(): number {
    return this.live;
  }

  onChange(listener: (count: number) => void): void {
    this.listeners.push(listener);
    listener(this.live);
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.zrem(KEY, this.id).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    try {
      // three awaited commands rather than a MULTI: when the connection drops mid-flight, ioredis
      // rejects the commands queued inside a transaction on promises nobody holds (unhandled)
      await this.redis.zadd(KEY, now, this.id);
      await this.redis.zremrangebyscore(KEY, 0, now - 3 * this.heartbeatMs);
      const count = await this.redis.zcard(KEY);
      const live = Math.max(1, count);
      if (live !== this.live) {
        this.live = live;
        for (const listener of this.listeners) listener(live);
      }
    } catch (error) {
      // Redis away: keep the last known count (the point of keeping it)
      this.logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'instance heartbeat failed');
    }
  }
}
