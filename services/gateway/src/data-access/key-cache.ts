import type { Logger } from '@pitlane/core';
import type { Redis } from 'ioredis';

import type { ApiKey, Organisation } from './tenancy.model';
import type { TenancyRepository } from './tenancy.repository';

export interface CachedCaller {
  key: ApiKey;
  organisation: Organisation;
}

const CHANNEL = 'api-keys:invalidate';

/**
 * In-process cache of key lookups (by hash), so a request costs no database round trip. Revoking or
 * rotating a key publishes its hash on Redis; every gateway instance drops it at once. The TTL only
 * bounds staleness if a broadcast is missed (e.g. Redis down at that moment).
 */
export class KeyCache {
  private readonly entries = new Map<string, { value: CachedCaller | null; expiresAt: number }>();
  private subscriber?: Redis;

  constructor(
    private readonly tenancy: TenancyRepository,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  /** Subscribes to invalidations on a dedicated connection (a subscribed ioredis client can do nothing else). */
  async listen(redis: Redis): Promise<void> {
    // autoResubscribe off: ioredis re-subscribes after a reconnect on a promise nobody holds, so a
    // connection that drops again at that moment ends in an unhandled rejection. We re-subscribe
    // ourselves on every 'ready' (a second SUBSCRIBE to the same channel is harmless) and log failures.
    const subscriber = redis.duplicate({ enableOfflineQueue: true, autoResubscribe: false });
    this.subscriber = subscriber;
    const channel = channelName(redis);
    subscriber.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'key cache subscriber error'));
    subscriber.on('message', (_channel: string, message: string) => this.invalidate(message));
    subscriber.on('ready', () => {
      // after a reconnect we may have missed broadcasts: start over
      this.entries.clear();
      subscriber.subscribe(channel).catch((error: unknown) =>
        this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'key cache re-subscribe failed'),
      );
    });
    await subscriber.subscribe(channel);
  }

  /** True when `lookup` would answer from memory (a live entry, found or known not to exist). */
  holds(keyHash: string): boolean {
    const cached = this.entries.get(keyHash);
    return cached !== undefined && cached.expiresAt > Date.now();
  }

  async lookup(keyHash: string): Promise<CachedCaller | null> {
    const cached = this.entries.get(keyHash);
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    const key = await this.tenancy.findKeyByHash(keyHash);
    const organisation = key ? await this.tenancy.findOrganisation(key.organisationId) : null;
    const value = key && organisation ? { key, organisation } : null;
    // unknown hashes are cached too (briefly), so guessing keys cannot hammer the database
    this.entries.set(keyHash, { value, expiresAt: Date.now() + (value ? this.ttlMs : Math.min(this.ttlMs, 5_000)) });
    if (this.entries.size > 100_000) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  invalidate(keyHash: string): void {
    if (keyHash === '*') this.entries.clear();
    else this.entries.delete(keyHash);
  }

  close(): void {
    this.subscriber?.disconnect();
  }
}

/** Tells every gateway instance to forget a key ('*': everything, e.g. after an organisation change). */
export async function broadcastKeyChange(redis: Redis, keyHash: string): Promise<void> {
  await redis.publish(channelName(redis), keyHash);
}

/** ioredis does not prefix channels: add the key prefix by hand so test files stay apart. */
function channelName(redis: Redis): string {
  return `${redis.options.keyPrefix ?? ''}${CHANNEL}`;
}
