import type { Express } from 'express';
import type { Connection } from 'mongoose';
import {
  createLogger,
  listen,
  Metrics,
  metricsApp,
  type Logger,
  type ReadinessCheck,
  type RunningServer,
  type ServiceAppOptions,
} from '@pitlane/core';
import { amqpUrlsOf, EventBus, OutboxRelay } from '@pitlane/events';
import { connectMongo, ensureIndexes, MongoIdempotencyStore, mongoOptionsOf, pingMongo, registerIdempotencyModel } from '@pitlane/mongo';
import type { Collection } from 'mongoose';

import { drainingCheck, healthOnlyApp, planFor, startQueueDepthGauge, type ServiceRole } from './roles';

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
  /** deadline of every database call (baseServiceConfig); unset: libs/mongo's default */
  MONGO_OP_TIMEOUT_MS?: number;
  /** internal port for /metrics; unset: /metrics stays on PORT */
  METRICS_PORT?: number | undefined;
  // scaled-out deployments (baseServiceConfig's scalingConfigFields; docs/scaling.md); unset: one
  // process does everything against one broker node
  PITLANE_ROLE?: ServiceRole;
  AMQP_URLS?: string | undefined;
  EVENTS_QUEUE_TYPE?: 'classic' | 'quorum';
  EVENTS_DELIVERY_LIMIT?: number;
  EVENTS_PREFETCH?: number;
  RELAY_BATCH?: number;
  RELAY_SWEEP_MS?: number;
  RELAY_WORKER_SWEEP_MS?: number;
  DRAIN_DELAY_MS?: number;
  MONGO_WRITE_CONCERN?: 'majority' | number | undefined;
  MONGO_READ_PREFERENCE?: 'primary' | 'primaryPreferred' | 'secondary' | 'secondaryPreferred' | 'nearest' | undefined;
  MONGO_RETRY_WRITES?: boolean | undefined;
  MONGO_MAX_POOL_SIZE?: number | undefined;
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

/**
 * A background job of one instance (a poller, a sweeper, a copier): started by startService once the
 * database, the bus and the outbox relay run, stopped by close() once HTTP and event handlers are done
 * and while the relay, the broker and the database are still there (see RunningService.close).
 */
export interface ServiceWorker {
  /** names the worker in logs */
  name: string;
  /** begins the work (timers, loops); must not wait for the work itself */
  start(): void | Promise<void>;
  /** stops taking new work and resolves once the work in flight is finished and recorded */
  stop(): Promise<void>;
}

/**
 * One service, described for startService. The service's composition root (`src/service.ts`) gives
 * `compose`, which builds its repositories, use-cases and workers ONCE from the runtime deps; the result
 * (the service's context, C) is then handed in the same way to the event subscriptions, the express app
 * and the worker list, so nothing is built lazily or twice.
 */
export interface ServiceDefinition<M, C = ServiceDeps<M>> {
  name: string;
  config: RuntimeConfig;
  /** registers the service's mongoose models on its own connection */
  registerModels(connection: Connection): M;
  /** the models whose documents carry outbox events */
  outboxModels?(models: M): { collection: Collection }[];
  /** the composition root: called once, after the database, bus and relay exist and before anything
   * is subscribed, built or started. Without it the context is the runtime deps themselves. */
  compose?(deps: ServiceDeps<M>): C;
  /** event subscriptions (handlers live in src/entry-points/messaging) */
  subscribe?(bus: EventBus, context: C): void;
  buildApp(context: C, deps: ServiceDeps<M>): Express;
  /** background workers; started in this order before HTTP listens, stopped in reverse order by
   * close() (see RunningService.close) */
  workers?(context: C, deps: ServiceDeps<M>): ServiceWorker[];
  /** queue name override (tests give each file its own) */
  queue?: string;
  logger?: Logger;
  /** the outbox relay's sweep period (tests sweep often; else RELAY_SWEEP_MS) */
  relayPollIntervalMs?: number;
  retryDelaysMs?: number[];
}

export interface RunningService<M, C = ServiceDeps<M>> extends ServiceDeps<M> {
  /** what this process runs (PITLANE_ROLE) */
  role: ServiceRole;
  /** what compose() built (the runtime deps when the service has no compose) */
  context: C;
  url: string;
  port: number;
  /** the internal /metrics listener, when METRICS_PORT is set */
  metricsUrl?: string;
  /**
   * Shuts down in this order, each step awaited before the next:
   * 0. /readyz answers 503 at once (draining), for DRAIN_DELAY_MS before anything stops;
   * 1. HTTP: stop accepting, finish the requests in flight (then the internal metrics listener);
   * 2. bus consumers: no new events, the handlers in flight finish (they can still publish);
   * 3. workers, in reverse order of start: their work in flight is finished and recorded, with the
   *    relay, the broker and the database still available;
   * 4. outbox relay: a pass in flight still has a broker to publish to;
   * 5. broker connection; 6. database.
   * A failing step is logged and the later ones still run; close() then rejects with the first error.
   * Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** What every service's createServiceApp call shares, from its config and runtime deps; the service
 * adds its routes: `createServiceApp({ ...serviceAppBasics(config, deps), garageRoutes })`. */
export function serviceAppBasics(
  config: Pick<RuntimeConfig, 'INTERNAL_JWT_SECRET' | 'BODY_LIMIT' | 'METRICS_PORT'>,
  deps: Pick<ServiceDeps<unknown>, 'logger' | 'metrics' | 'readiness'> & Partial<Pick<ServiceDeps<unknown>, 'connection'>>,
): Pick<ServiceAppOptions, 'logger' | 'metrics' | 'internalJwtSecret' | 'readiness' | 'bodyLimit' | 'exposeMetrics' | 'idempotency'> {
  return {
    // Idempotency-Key records in the service's own database (collection idempotency_keys, TTL 24 h)
    ...(deps.connection ? { idempotency: new MongoIdempotencyStore(deps.connection) } : {}),
    logger: deps.logger,
    metrics: deps.metrics,
    internalJwtSecret: config.INTERNAL_JWT_SECRET,
    readiness: deps.readiness,
    bodyLimit: config.BODY_LIMIT,
    // with METRICS_PORT, startService serves /metrics there and not on the service's own port
    exposeMetrics: config.METRICS_PORT === undefined,
  };
}

/** Wires one service: database (+ indexes), broker (+ subscriptions), outbox relay, workers, HTTP. Used
 * by each service's main.ts and, on port 0 with per-file names, by the integration tests. The role
 * (PITLANE_ROLE, see roles.ts) decides which of these this process runs. */
export async function startService<M, C = ServiceDeps<M>>(definition: ServiceDefinition<M, C>): Promise<RunningService<M, C>> {
  const { config } = definition;
  const logger = definition.logger ?? createLogger(definition.name, config.LOG_LEVEL);
  const metrics = new Metrics(definition.name);
  const plan = planFor(config.PITLANE_ROLE);
  const connection = await connectMongo({
    url: config.MONGO_URL,
    dbName: config.MONGO_DB,
    logger,
    ...mongoOptionsOf(config),
    ...(config.MONGO_OP_TIMEOUT_MS ? { opTimeoutMs: config.MONGO_OP_TIMEOUT_MS } : {}),
  });
  const models = definition.registerModels(connection);
  registerIdempotencyModel(connection); // its TTL index is built with the service's own
  await ensureIndexes(connection);

  const bus = new EventBus({
    url: config.AMQP_URL,
    urls: amqpUrlsOf(config),
    ...(config.EVENTS_QUEUE_TYPE ? { queueType: config.EVENTS_QUEUE_TYPE } : {}),
    ...(config.EVENTS_DELIVERY_LIMIT ? { deliveryLimit: config.EVENTS_DELIVERY_LIMIT } : {}),
    ...(config.EVENTS_PREFETCH ? { prefetch: config.EVENTS_PREFETCH } : {}),
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
    ...(config.RELAY_BATCH ? { batchSize: config.RELAY_BATCH } : {}),
    // a worker beside api processes gets no hand-offs from their writes: it sweeps often (issue 16)
    ...sweepOf(definition.relayPollIntervalMs ?? (plan.role === 'worker' ? config.RELAY_WORKER_SWEEP_MS : config.RELAY_SWEEP_MS)),
  });
  let draining = false;
  const readiness: Record<string, ReadinessCheck> = {
    mongo: () => pingMongo(connection),
    // an api process never connects to the broker: what it stores, the workers' relays publish
    ...(plan.runsWorkers ? { rabbitmq: () => bus.check() } : {}),
    draining: drainingCheck(() => draining),
  };
  const deps: ServiceDeps<M> = { logger, metrics, connection, models, bus, relay, readiness };
  const context = definition.compose ? definition.compose(deps) : (deps as unknown as C);
  let stopQueueDepthGauge = (): void => undefined;
  if (plan.runsWorkers) {
    definition.subscribe?.(bus, context);
    await bus.start();
    relay.start();
    stopQueueDepthGauge = startQueueDepthGauge(metrics, bus);
  }

  // built in every role: a service may still assemble its context here, which its workers use
  const app = definition.buildApp(context, deps);
  const workers = plan.runsWorkers ? (definition.workers?.(context, deps) ?? []) : [];
  const started: ServiceWorker[] = [];
  let server: RunningServer | undefined;
  let metricsServer: RunningServer | undefined;

  /** Runs every step even if one fails (logged); rejects with the first failure at the end. */
  const shutdown = async (): Promise<void> => {
    let failure: unknown;
    const step = async (name: string, run: () => Promise<void>) => {
      try {
        await run();
      } catch (error) {
        logger.error({ err: error, step: name }, `${definition.name} shutdown step failed`);
        failure ??= error;
      }
    };
    const http = server;
    if (http) await step('http', () => http.close());
    const internal = metricsServer;
    if (internal) await step('metrics', () => internal.close());
    await step('bus consumers', () => bus.stopConsuming());
    for (const worker of [...started].reverse()) await step(`worker ${worker.name}`, () => worker.stop());
    stopQueueDepthGauge();
    await step('outbox relay', () => relay.stop());
    await step('bus', () => bus.close());
    await step('database', () => connection.close());
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(`${definition.name} shutdown failed`, { cause: failure });
  };

  try {
    // before HTTP listens, so a route never finds a worker it relies on not running yet
    for (const worker of workers) {
      await worker.start();
      started.push(worker);
    }
    // per-route totals across tenants: on an internal port when one is configured
    if (config.METRICS_PORT !== undefined) metricsServer = await listen(metricsApp(metrics), config.METRICS_PORT, config.HOST);
    server = await listen(plan.servesApi ? app : healthOnlyApp(metrics, readiness), config.PORT, config.HOST);
  } catch (error) {
    await shutdown().catch(() => undefined); // already logged; the start-up error is the one to report
    throw error;
  }
  logger.info({ url: server.url, metricsUrl: metricsServer?.url, role: plan.role, workers: workers.map((worker) => worker.name) }, `${definition.name} listening`);

  let closing: Promise<void> | undefined;
  return {
    ...deps,
    role: plan.role,
    context,
    url: server.url,
    port: server.port,
    ...(metricsServer ? { metricsUrl: metricsServer.url } : {}),
    close: () =>
      (closing ??= (async () => {
        draining = true;
        const delay = config.DRAIN_DELAY_MS ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        await shutdown();
      })().then(() => {
        logger.info(`${definition.name} stopped`);
      })),
  };
}

/** the relay's sweep option when one is configured (else the relay's own default) */
function sweepOf(ms: number | undefined): { sweepIntervalMs?: number } {
  return ms === undefined ? {} : { sweepIntervalMs: ms };
}
