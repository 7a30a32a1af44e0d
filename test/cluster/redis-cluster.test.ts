import { writeSync } from 'node:fs';
import { AppError, createLogger } from '@pitlane/core';
import { randomId, waitFor } from '@pitlane/testing';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { readConfig } from '../../services/gateway/src/config';
import { broadcastKeyChange, KeyCache } from '../../services/gateway/src/data-access/key-cache';
import type { TenancyRepository } from '../../services/gateway/src/data-access/tenancy.repository';
import { rateLimitByIp } from '../../services/gateway/src/entry-points/http/rate-limit';
import { connectRedis } from '../../services/gateway/src/service';
import { clusterControl, sleep } from './cluster-control';

/**
 * The gateway's Redis uses against a six-node Redis Cluster (scripts/cluster/redis-cluster.sh,
 * 7001-7006): rate limits exact across two gateway instances, key-cache invalidation across them,
 * and both still working after the primary holding the limit's key is stopped and replaced.
 */
const CLUSTER_URL = [7001, 7002, 7003, 7004, 7005, 7006].map((port) => `redis://127.0.0.1:${port}`).join(',');
const LIMIT = 25;
const prefix = `t:cluster:${randomId()}:`;
const logger = createLogger('redis-cluster-test', process.env.TEST_LOG_LEVEL ?? 'silent');

function gatewayRedis(): Redis {
  const config = readConfig({ REDIS_URL: CLUSTER_URL, REDIS_PREFIX: prefix, INTERNAL_JWT_SECRET: 'x'.repeat(40) });
  return connectRedis(config, logger);
}

/** A gateway instance's public rate limit, as the gateway mounts it (per client IP, behind a proxy). */
async function limitedApp(redis: Redis): Promise<{ url: string; server: Server }> {
  const app = express();
  app.set('trust proxy', true);
  app.get('/estimate', rateLimitByIp(redis, { standard: 1, premium: 1, enterprise: 1, publicPerIp: LIMIT }), (_req, res) => {
    res.json({ ok: true });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error instanceof AppError ? error.status : 500).json({ error: String(error) });
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function burst(urls: string[], ip: string, requests: number): Promise<Record<number, number>> {
  const statuses = await Promise.all(
    Array.from({ length: requests }, (_, i) => fetch(`${urls[i % urls.length]}/estimate`, { headers: { 'X-Forwarded-For': ip } }).then((r) => r.status)),
  );
  return statuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
}

describe('the gateway on a Redis Cluster', () => {
  const clients: Redis[] = [];
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) server.close();
    for (const client of clients) client.disconnect();
  });

  it('when two gateway instances share a Redis Cluster, then rate limits are exact, invalidations reach both, and both keep working after a primary fails over', async () => {
    const [redisA, redisB] = [gatewayRedis(), gatewayRedis()];
    clients.push(redisA, redisB);
    await waitFor(() => (redisA.status === 'ready' && redisB.status === 'ready') || undefined, { timeoutMs: 10_000 });
    const [a, b] = [await limitedApp(redisA), await limitedApp(redisB)];
    servers.push(a.server, b.server);

    // 1. exact across instances: 100 parallel requests from one address, split over both, LIMIT pass
    const first = await burst([a.url, b.url], '203.0.113.1', 100);
    expect(first).toEqual({ 200: LIMIT, 429: 100 - LIMIT });

    // 2. key-cache invalidation: B revokes, A forgets at once
    const lookups: string[] = [];
    const tenancy = {
      findKeyByHash: async (hash: string) => (lookups.push(hash), { _id: hash, organisationId: 'org' }),
      findOrganisation: async () => ({ _id: 'org', tier: 'standard' }),
    } as unknown as TenancyRepository;
    const cacheA = new KeyCache(tenancy, 60_000, logger);
    await cacheA.listen(redisA);
    await cacheA.lookup('hash-1');
    await cacheA.lookup('hash-1');
    expect(lookups).toEqual(['hash-1']);
    await broadcastKeyChange(redisB, 'hash-1');
    await waitFor(async () => (await cacheA.lookup('hash-1'), lookups.length === 2) || undefined, { timeoutMs: 5_000, message: 'invalidation did not arrive' });

    // 3. failover: stop the primary that holds the next address's counter
    const key = (ip: string) => `${prefix}rl:public:${ip}`;
    const slot = Number(await redisA.call('CLUSTER', 'KEYSLOT', key('203.0.113.2')));
    const shards = (await redisA.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const primaryPort = shards.find(([from, to]) => slot >= from && slot <= to)![2][1];
    clusterControl('redis-cluster.sh', 'stop', String(primaryPort));
    const stoppedAt = Date.now();
    // while the replica is being promoted, requests are answered (the in-memory insurance limiter), never a 500
    const during = await burst([a.url, b.url], '203.0.113.3', 20);
    expect(Object.keys(during).every((status) => status === '200' || status === '429')).toBe(true);
    await waitFor(
      async () => {
        const now = (await redisA.call('CLUSTER', 'SLOTS').catch(() => [])) as [number, number, [string, number]][];
        const owner = now.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
        return (owner !== undefined && owner !== primaryPort) || undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, message: 'no replica took over' },
    );
    const failoverMs = Date.now() - stoppedAt;
    await sleep(500);
    const after = await burst([a.url, b.url], '203.0.113.2', 100);
    expect(after).toEqual({ 200: LIMIT, 429: 100 - LIMIT });
    expect(Number(await redisB.get(`rl:public:203.0.113.2`))).toBe(100);
    await broadcastKeyChange(redisB, 'hash-1');
    await waitFor(async () => (await cacheA.lookup('hash-1'), lookups.length === 3) || undefined, { timeoutMs: 5_000, message: 'invalidation lost after failover' });
    await cacheA.close();
    clusterControl('redis-cluster.sh', 'start', String(primaryPort)); // rejoins as a replica
    // synchronous: an async write to a pipe can be cut off when --forceExit ends the run
    writeSync(1,
      `redis cluster: 100 parallel → ${first[200]} allowed (limit ${LIMIT}) before, ${after[200]} after failover of :${primaryPort} ` +
        `(replica promoted in ${failoverMs} ms; during it ${JSON.stringify(during)})\n`,
    );
  });
});
