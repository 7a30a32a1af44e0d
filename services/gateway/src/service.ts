import { createLogger, listen, Metrics, type Logger } from '@pitlane/core';
import { connectMongo, ensureIndexes, pingMongo } from '@pitlane/mongo';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';

import { buildApp } from './app';
import { composeConsole } from './console/compose';
import type { Config } from './config';
import { AuditLog, registerAuditModel } from './data-access/audit-log';
import { KeyCache } from './data-access/key-cache';
import { registerModels, type Models } from './data-access/models';
import { TenancyRepository } from './data-access/tenancy';

export interface GatewayService {
  url: string;
  port: number;
  connection: Connection;
  models: Models;
  redis: Redis;
  audit: AuditLog;
  keys: KeyCache;
  close(): Promise<void>;
}

/** Redis client for the gateway: commands fail fast while Redis is away (the rate limiter then
 * falls back to its in-memory insurance limiter) and it reconnects on its own. */
export function connectRedis(config: Config, logger?: Logger): Redis {
  const redis = new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_PREFIX,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  redis.on('error', (error: Error) => logger?.warn({ err: error.message }, 'Redis error'));
  return redis;
}

/** Wires the gateway: its own database (organisations, garages, keys, audit), Redis, HTTP. */
export async function startGateway(config: Config, options: { logger?: Logger } = {}): Promise<GatewayService> {
  const logger = options.logger ?? createLogger('gateway', config.LOG_LEVEL);
  const metrics = new Metrics('gateway');
  const connection = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, logger });
  const models = registerModels(connection);
  const auditModel = registerAuditModel(connection);
  await ensureIndexes(connection);
  const redis = connectRedis(config, logger);
  const tenancy = new TenancyRepository(models);
  const keys = new KeyCache(tenancy, config.KEY_CACHE_TTL_MS, logger);
  await keys.listen(redis);
  const audit = new AuditLog(auditModel, logger, metrics.registry, {
    batchSize: config.AUDIT_BATCH_SIZE,
    flushMs: config.AUDIT_FLUSH_MS,
    maxBuffered: config.AUDIT_BUFFER_MAX,
  });
  audit.start();
  const consoleContext = composeConsole(config, { connection, models, tenancy, redis, logger });
  audit.onWritten(consoleContext.recordUsage);
  consoleContext.retention.start();

  const app = buildApp(config, {
    logger,
    metrics,
    tenancy,
    keys,
    redis,
    audit,
    console: consoleContext,
    readiness: {
      mongo: () => pingMongo(connection),
      redis: async () => {
        await redis.ping();
      },
    },
  });
  const server = await listen(app, config.PORT, config.HOST);
  logger.info({ url: server.url }, 'gateway listening');
  return {
    url: server.url,
    port: server.port,
    connection,
    models,
    redis,
    audit,
    keys,
    close: async () => {
      await server.close();
      await audit.stop();
      consoleContext.retention.stop();
      await keys.close();
      redis.disconnect();
      await connection.close();
      logger.info('gateway stopped');
    },
  };
}
