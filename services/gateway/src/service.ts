import { createLogger, listen, Metrics, metricsApp, type Logger, type ReadinessCheck } from '@pitlane/core';
import { connectMongo, ensureIndexes, pingMongo } from '@pitlane/mongo';
import type { Redis } from 'ioredis';
import type { Connection, Model } from 'mongoose';

import { buildApp } from './app';
import { provisioning, type Provisioning } from './application/provisioning';
import { composeConsole, type ConsoleContext } from './console/compose';
import type { Config } from './config';
import { ApiKeyRepository } from './data-access/api-key.repository';
import { AuditLog } from './data-access/audit-log.repository';
import { InstanceRegistry } from './data-access/instance-registry';
import { registerAuditModel, type AuditRecord } from './data-access/audit-record.model';
import { broadcastKeyChange, KeyCache } from './data-access/key-cache';
import { createRedisClient } from './data-access/redis-client';
import { registerModels, type Models } from './data-access/tenancy.model';
import { TenancyRepository } from './data-access/tenancy.repository';

/** What the gateway's routes and middleware get: repositories and use-cases, built once by compose(). */
export interface GatewayContext {
  tenancy: TenancyRepository;
  keys: KeyCache;
  audit: AuditLog;
  provisioning: Provisioning;
  redis: Redis;
  /** the API Access console (issue 10): its users, sessions, usage rollups and audit queries */
  console: ConsoleContext;
  /** live gateway instances (heartbeats in Redis): divides the in-memory limits during a Redis outage */
  instances: InstanceRegistry;
}

/** What the gateway runs on: its own database (organisations, garages, keys, audit) and Redis. */
export interface GatewayDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  connection: Connection;
  models: Models;
  auditModel: Model<AuditRecord>;
  redis: Redis;
}

export interface GatewayService {
  url: string;
  port: number;
  /** the internal /metrics listener */
  metricsUrl: string;
  connection: Connection;
  models: Models;
  redis: Redis;
  audit: AuditLog;
  keys: KeyCache;
  context: GatewayContext;
  close(): Promise<void>;
}

/** The gateway's composition root: every repository and use-case, once. */
export function compose(deps: GatewayDeps): GatewayContext {
  const { config, logger, metrics, models, redis } = deps;
  const tenancy = new TenancyRepository(models);
  const audit = new AuditLog(deps.auditModel, logger, metrics.registry, {
    batchSize: config.AUDIT_BATCH_SIZE,
    flushMs: config.AUDIT_FLUSH_MS,
    maxBuffered: config.AUDIT_BUFFER_MAX,
  });
  const keyLifecycle = provisioning({
    tenancy,
    apiKeys: new ApiKeyRepository(models),
    onKeyChanged: (keyHash) => broadcastKeyChange(redis, keyHash),
  });
  const consoleContext = composeConsole(config, { connection: deps.connection, tenancy, provisioning: keyLifecycle, redis, logger });
  // every written audit batch also feeds the console's usage rollups
  audit.onWritten(consoleContext.recordUsage);
  return {
    tenancy,
    keys: new KeyCache(tenancy, config.KEY_CACHE_TTL_MS, logger),
    audit,
    provisioning: keyLifecycle,
    redis,
    console: consoleContext,
    instances: new InstanceRegistry(redis, config.INSTANCE_HEARTBEAT_MS, logger),
  };
}

/** The key lifecycle on a gateway database without a running gateway (admin CLI, benches). Without
 * `onKeyChanged`, running gateways learn of revocations only when their cache entry expires. */
export function provisioningFor(models: Models, onKeyChanged: (keyHash: string) => Promise<void> = () => Promise.resolve()): Provisioning {
  return provisioning({ tenancy: new TenancyRepository(models), apiKeys: new ApiKeyRepository(models), onKeyChanged });
}

/** Redis client for the gateway (one server, or a Redis Cluster when REDIS_URL lists several nodes):
 * commands fail fast while Redis is away (the rate limiter then
 * falls back to its in-memory insurance limiter) and it reconnects on its own. */
export function connectRedis(config: Config, logger?: Logger): Redis {
  const redis = createRedisClient(config.REDIS_URL, {
    keyPrefix: config.REDIS_PREFIX,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // the commands of requests in flight together leave in one write (the auth-failure GET and the
    // rate limit script of many requests): fewer syscalls per request under load
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  redis.on('error', (error: Error) => logger?.warn({ err: error.message }, 'Redis error'));
  return redis;
}

/** Wires the gateway: database (+ indexes), Redis, the context, its background work (key-cache
 * invalidations, audit batches), then HTTP. Used by main.ts and, on port 0, by the tests. */
export async function startGateway(config: Config, options: { logger?: Logger } = {}): Promise<GatewayService> {
  const logger = options.logger ?? createLogger('gateway', config.LOG_LEVEL);
  const metrics = new Metrics('gateway');
  const connection = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, logger, opTimeoutMs: config.MONGO_OP_TIMEOUT_MS });
  const models = registerModels(connection);
  const auditModel = registerAuditModel(connection);
  await ensureIndexes(connection);
  const redis = connectRedis(config, logger);
  const context = compose({ config, logger, metrics, connection, models, auditModel, redis });
  await context.keys.listen(redis);
  context.audit.start();
  context.console.retention.start();
  await context.instances.start();

  // Redis is optional for readiness: without it the gateway limits in memory (see rate-limit.ts)
  const readiness: Record<string, ReadinessCheck> = { mongo: () => pingMongo(connection) };
  const optionalReadiness: Record<string, ReadinessCheck> = {
    redis: async () => {
      await redis.ping();
    },
  };
  const app = buildApp(config, context, { logger, metrics, readiness, optionalReadiness });
  const metricsServer = await listen(metricsApp(metrics), config.METRICS_PORT ?? (config.PORT === 0 ? 0 : 9464), config.METRICS_HOST);
  const server = await listen(app, config.PORT, config.HOST);
  logger.info({ url: server.url, metricsUrl: metricsServer.url }, 'gateway listening');
  return {
    url: server.url,
    port: server.port,
    metricsUrl: metricsServer.url,
    connection,
    models,
    redis,
    audit: context.audit,
    keys: context.keys,
    context,
    close: async () => {
      await server.close();
      await metricsServer.close();
      await context.instances.stop();
      await context.audit.stop();
      context.console.retention.stop();
      context.keys.close();
      redis.disconnect();
      await connection.close();
      logger.info('gateway stopped');
    },
  };
}
