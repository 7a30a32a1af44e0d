import { Cluster, Redis, type RedisOptions } from 'ioredis';

/**
 * The gateway's Redis client: one server (REDIS_URL = `redis://host:6379`), or a Redis Cluster when
 * REDIS_URL lists several seed nodes (`redis://r-0:6379,redis://r-1:6379,...`); ioredis then learns
 * the whole cluster, follows MOVED/ASK redirects and picks up a promoted replica after a failover.
 *
 * The gateway only uses what a single client and a cluster client share (commands with one key each
 * — the rate limiter's Lua script touches one key —, PUBLISH, which a cluster broadcasts to every
 * node, SUBSCRIBE on a duplicate, `options.keyPrefix`), so the cluster is handed out typed as Redis.
 * `duplicate(options)` keeps the single-client signature (see below).
 */
export function createRedisClient(url: string, options: RedisOptions): Redis {
  const seeds = url
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (seeds.length <= 1) return new Redis(url, options);

  const first = new URL(seeds[0]!);
  const { keyPrefix, enableOfflineQueue, retryStrategy, ...perNode } = options;
  const cluster = new Cluster(
    seeds.map((seed) => {
      const node = new URL(seed);
      return { host: node.hostname, port: Number(node.port || 6379) };
    }),
    {
      ...(keyPrefix !== undefined ? { keyPrefix } : {}),
      ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
      ...(retryStrategy ? { clusterRetryStrategy: (attempts: number) => retryStrategy(attempts) ?? null } : {}),
      // writes and reads on primaries: a rate-limit counter read from a lagging replica is not exact
      scaleReads: 'master',
      // a failover takes a few seconds: retry redirected/refused commands meanwhile
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      redisOptions: {
        ...perNode,
        ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
        ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
        ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    },
  );
  // single-client callers pass only options (e.g. the key cache's subscriber): keep the seed nodes
  const duplicateCluster = cluster.duplicate.bind(cluster);
  cluster.duplicate = ((overrides: RedisOptions = {}) => duplicateCluster([], overrides)) as Cluster['duplicate'];
  return cluster as unknown as Redis;
}
