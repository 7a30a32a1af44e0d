import { createLogger, listen, Metrics, type Logger } from '@pitlane/core';
import { connectMongo, ensureIndexes, pingMongo } from '@pitlane/mongo';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';

import { buildApp } from './app';
import type { Config } from './config';
import { registerModels, type Models } from './data-access/models';
import { TenancyRepository } from './data-access/tenancy';

export interface GatewayService {
  url: string;
  port: number;
  connection: Connection;
  models: Models;
  redis: Redis;
  close(): Promise<void>;
}

/** Wires the gateway: its own database (organisations, garages, keys), Redis, HTTP. */
export async function startGateway(config: Config, options: { logger?: Logger } = {}): Promise<GatewayService> {
  const logger = options.logger ?? createLogger('gateway', config.LOG_LEVEL);
  const metrics = new Metrics('gateway');
  const connection = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, logger });
  const models = registerModels(connection);
  await ensureIndexes(connection);
  const redis = new Redis(config.REDIS_URL, { keyPrefix: config.REDIS_PREFIX, maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'Redis error'));

  const app = buildApp(config, {
    logger,
    metrics,
    tenancy: new TenancyRepository(models),
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
    close: async () => {
      await server.close();
      redis.disconnect();
      await connection.close();
      logger.info('gateway stopped');
    },
  };
}
