import type { Express } from 'express';
import type { Connection } from 'mongoose';
import { createLogger, listen, Metrics, type Logger, type ReadinessCheck } from '@pitlane/core';
import { EventBus, OutboxRelay } from '@pitlane/events';
import { connectMongo, ensureIndexes, pingMongo } from '@pitlane/mongo';
import type { Collection } from 'mongoose';

/** The config fields every service has (see baseServiceConfig in @pitlane/core). */
export interface RuntimeConfig {
  HOST: string;
  PORT: number;
  LOG_LEVEL: string;
  MONGO_URL: string;
  MONGO_DB: string;
  AMQP_URL: string;
  EVENTS_EXCHANGE: string;
  INTERNAL_JWT_SECRET: string;
  BODY_LIMIT: string;
}

export interface ServiceDeps<M> {
  logger: Logger;
  metrics: Metrics;
  connection: Connection;
  models: M;
  bus: EventBus;
  relay: OutboxRelay;
  readiness: Record<string, ReadinessCheck>;
}

export interface ServiceDefinition<M> {
  name: string;
  config: RuntimeConfig;
  /** registers the service's mongoose models on its own connection */
  registerModels(connection: Connection): M;
  /** the models whose documents carry outbox events */
  outboxModels?(models: M): { collection: Collection }[];
  /** event subscriptions (handlers live in src/entry-points/messaging) */
  subscribe?(bus: EventBus, deps: Omit<ServiceDeps<M>, 'bus'>): void;
  buildApp(deps: ServiceDeps<M>): Express;
  /** queue name override (tests give each file its own) */
  queue?: string;
  logger?: Logger;
  relayPollIntervalMs?: number;
  retryDelaysMs?: number[];
}

export interface RunningService<M> extends ServiceDeps<M> {
  url: string;
  port: number;
  /** stop accepting, drain HTTP, stop consumers and relay, close broker and database */
  close(): Promise<void>;
}

/** Wires one service: database (+ indexes), broker (+ subscriptions), outbox relay, HTTP. Used by
 * each service's main.ts and, on port 0 with per-file names, by the integration tests. */
export async function startService<M>(definition: ServiceDefinition<M>): Promise<RunningService<M>> {
  const { config } = definition;
  const logger = definition.logger ?? createLogger(definition.name, config.LOG_LEVEL);
  const metrics = new Metrics(definition.name);
  const connection = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, logger });
  const models = definition.registerModels(connection);
  await ensureIndexes(connection);

  const bus = new EventBus({
    url: config.AMQP_URL,
    exchange: config.EVENTS_EXCHANGE,
    queue: definition.queue ?? `${config.EVENTS_EXCHANGE}.${definition.name}`,
    logger,
    metrics,
    ...(definition.retryDelaysMs ? { retryDelaysMs: definition.retryDelaysMs } : {}),
  });
  const relay = new OutboxRelay({
    models: definition.outboxModels?.(models) ?? [],
    bus,
    logger,
    metrics,
    ...(definition.relayPollIntervalMs ? { pollIntervalMs: definition.relayPollIntervalMs } : {}),
  });
  const readiness: Record<string, ReadinessCheck> = {
    mongo: () => pingMongo(connection),
    rabbitmq: () => bus.check(),
  };
  definition.subscribe?.(bus, { logger, metrics, connection, models, relay, readiness });
  await bus.start();
  relay.start();

  const deps: ServiceDeps<M> = { logger, metrics, connection, models, bus, relay, readiness };
  const server = await listen(definition.buildApp(deps), config.PORT, config.HOST);
  logger.info({ url: server.url }, `${definition.name} listening`);

  return {
    ...deps,
    url: server.url,
    port: server.port,
    close: async () => {
      await server.close();
      await relay.stop(); // before the bus: a pass in flight still has a broker to publish to
      await bus.stop();
      await connection.close();
      logger.info(`${definition.name} stopped`);
    },
  };
}
