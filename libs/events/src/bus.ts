import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { runWithContext, type Logger, type Metrics } from '@pitlane/core';
import type { z } from 'zod';

import { eventEnvelopeSchema, type EventEnvelope } from './envelope';
import { redactUrl } from './hosts';
import { assertTopology, topologyFor, type Topology, type TopologyOptions } from './topology';

export type HandlerOutcome = 'handled' | 'duplicate';
/** May answer synchronously (e.g. a recorder that only pushes to a list). */
export type EventHandler<T> = (event: EventEnvelope<T>) => Promise<HandlerOutcome | void> | HandlerOutcome | void;

export interface EventBusOptions extends TopologyOptions {
  url: string;
  /** every node of a RabbitMQ cluster (see amqpUrlsOf); when given, `url` is ignored and the client
   * moves on to the next node whenever a connection attempt fails or the connection drops */
  urls?: string[];
  /** the durable topic exchange shared by all services */
  exchange: string;
  /** names the service's durable queue; instances of one service compete on it */
  queue: string;
  logger: Logger;
  metrics: Metrics;
  /** unacknowledged messages per consumer channel */
  prefetch?: number;
  /** a failing handler is retried after these delays, then dead-lettered */
  retryDelaysMs?: number[];
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  publishTimeoutMs?: number;
}

interface Subscription {
  schema: z.ZodType;
  handler: EventHandler<unknown>;
}

const ATTEMPT_HEADER = 'x-attempt';

/**
 * RabbitMQ event bus: publisher confirms, one durable queue per service with bounded prefetch,
 * TTL retry queues then a dead-letter queue, schema validation at the edge, and reconnection with
 * backoff after the broker goes away. Handlers must be idempotent per event id (see applyOnce).
 */
export class EventBus {
  private readonly topology: Topology;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly retryDelaysMs: number[];
  private connection?: ChannelModel;
  private publishChannel?: ConfirmChannel;
  private consumeChannel?: Channel;
  private consumerTag?: string;
  private stopping = false;
  private consumersStopped = false;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelay: number;
  private readonly inFlight = new Set<Promise<void>>();
  private connectedListeners: (() => void)[] = [];
  private readonly urls: string[];
  private urlIndex = 0;
  private currentUrl?: string;
  private nackStreak = 0;
  private renewingPublishChannel = false;

  constructor(private readonly options: EventBusOptions) {
    this.topology = topologyFor(options.exchange, options.queue);
    this.retryDelaysMs = options.retryDelaysMs ?? [1_000, 10_000, 60_000];
    this.reconnectDelay = options.reconnectInitialMs ?? 500;
    this.urls = options.urls && options.urls.length > 0 ? options.urls : [options.url];
  }

  /** The node this client is connected to now (credentials removed), if any. */
  get connectedUrl(): string | undefined {
    return this.connection ? this.currentUrl : undefined;
  }

  /** Messages ready in this service's queue (what a worker autoscaler scales on); undefined when not
   * connected or the service consumes nothing. A channel of its own: a failed check closes it. */
  async queueDepth(): Promise<number | undefined> {
    const connection = this.connection;
    if (!connection || this.subscriptions.size === 0) return undefined;
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(this.topology.queue)).messageCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  get names(): Topology {
    return this.topology;
  }

  /** Registers a handler for one event type, or '#' for every type; call before start(). */
  subscribe<S extends z.ZodType>(type: string, schema: S, handler: EventHandler<z.infer<S>>): void {
    if (this.connection) throw new Error('subscribe() must be called before start()');
    this.subscriptions.set(type, { schema, handler: handler as EventHandler<unknown> });
  }

  /** Connects (retrying with backoff until it succeeds or close()/stop() is called) and starts consuming. */
  async start(): Promise<void> {
    this.stopping = false;
    this.consumersStopped = false;
    await new Promise<void>((resolve) => {
      this.connectedListeners.push(resolve);
      void this.connectOnce();
    });
  }

  isConnected(): boolean {
    return this.publishChannel !== undefined;
  }

  /** Readiness check. */
  async check(): Promise<void> {
    if (!this.publishChannel) throw new Error('not connected to RabbitMQ');
    await this.publishChannel.checkExchange(this.topology.exchange);
  }

  /** Publishes and resolves only once the broker confirmed; rejects if it cannot. */
  async publish(event: EventEnvelope): Promise<void> {
    const channel = this.publishChannel;
    if (!channel) throw new Error('not connected to RabbitMQ');
    try {
      await this.confirmedPublish(channel, this.topology.exchange, event.type, event, {});
      this.nackStreak = 0;
    } catch (error) {
      if (error instanceof Error && /nack/i.test(error.message) && ++this.nackStreak >= 3) void this.renewPublishChannel(channel);
      throw error;
    }
    this.options.metrics.eventsPublished.inc({ type: event.type });
  }

  /**
   * A confirm channel opened on a node while a quorum queue's leader was being re-elected can keep
   * getting every publish nacked afterwards (seen on RabbitMQ 3.10 in test/cluster): after three
   * nacks in a row the channel is replaced by a fresh one, which learns the current leader.
   */
  private async renewPublishChannel(stale: ConfirmChannel): Promise<void> {
    const connection = this.connection;
    if (!connection || this.publishChannel !== stale || this.renewingPublishChannel) return;
    this.renewingPublishChannel = true;
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => this.options.logger.warn({ err: error }, 'RabbitMQ publish channel error'));
      if (this.publishChannel === stale) this.publishChannel = channel;
      this.nackStreak = 0;
      this.options.logger.warn({ node: this.currentUrl }, 'publishes kept being nacked: publish channel renewed');
      await stale.close().catch(() => undefined);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'cannot renew the publish channel');
    } finally {
      this.renewingPublishChannel = false;
    }
  }

  /**
   * First half of a shutdown: cancels the consumer (no new events are delivered, now or after a
   * reconnect) and waits for running handlers to finish. Publishing keeps working, so an outbox relay
   * or a background worker can still publish until it is stopped; then call close(). Idempotent.
   */
  async stopConsuming(): Promise<void> {
    this.consumersStopped = true;
    const channel = this.consumeChannel;
    const consumerTag = this.consumerTag;
    this.consumerTag = undefined;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
    // handlers still ack on the consume channel and may publish retries/dead letters: let them finish
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Second half of a shutdown: stops reconnecting and closes channels and connection (publish()
   * rejects from then on). Calls stopConsuming() first if it has not been called. */
  async close(): Promise<void> {
    await this.stopConsuming();
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    const connection = this.connection;
    this.connection = undefined;
    this.publishChannel = undefined;
    this.consumeChannel = undefined;
    if (connection) await connection.close().catch(() => undefined);
  }

  /** Stops consuming, waits for running handlers, closes channels and connection: stopConsuming()
   * then close(), for callers that publish nothing in between. */
  async stop(): Promise<void> {
    await this.close();
  }

  private async connectOnce(): Promise<void> {
    if (this.stopping) return;
    const { logger } = this.options;
    let connection: ChannelModel | undefined;
    const url = this.urls[this.urlIndex % this.urls.length] ?? this.options.url;
    try {
      connection = await connect(url, { timeout: 5_000 });
      this.currentUrl = redactUrl(url);
      connection.on('error', (error: Error) => logger.warn({ err: error }, 'RabbitMQ connection error'));
      connection.on('close', () => this.onConnectionClosed(connection));
      const publishChannel = await connection.createConfirmChannel();
      publishChannel.on('error', (error: Error) => logger.warn({ err: error }, 'RabbitMQ publish channel error'));
      const bindings = [...this.subscriptions.keys()];
      await assertTopology(publishChannel, this.topology, bindings, this.retryDelaysMs, {
        ...(this.options.queueType ? { queueType: this.options.queueType } : {}),
        ...(this.options.deliveryLimit ? { deliveryLimit: this.options.deliveryLimit } : {}),
      });
      this.connection = connection;
      this.publishChannel = publishChannel;
      if (bindings.length > 0 && !this.consumersStopped) await this.startConsuming(connection);
      this.reconnectDelay = this.options.reconnectInitialMs ?? 500;
      logger.info({ exchange: this.topology.exchange, queue: this.topology.queue, bindings, node: this.currentUrl }, 'connected to RabbitMQ');
      const listeners = this.connectedListeners;
      this.connectedListeners = [];
      for (const listener of listeners) listener();
    } catch (error) {
      logger.warn({ err: error, retryInMs: this.reconnectDelay, node: redactUrl(url) }, 'cannot connect to RabbitMQ, will retry');
      if (connection) await connection.close().catch(() => undefined);
      this.urlIndex++; // next node first
      this.scheduleReconnect();
    }
  }

  private onConnectionClosed(closed: ChannelModel | undefined): void {
    if (this.connection !== closed) return;
    this.connection = undefined;
    this.publishChannel = undefined;
    this.consumeChannel = undefined;
    this.consumerTag = undefined;
    if (this.stopping) return;
    this.urlIndex++; // the node we were on may be the one that went away
    this.options.logger.warn({ node: this.currentUrl }, 'RabbitMQ connection closed, reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopping) return;
    clearTimeout(this.reconnectTimer);
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, this.options.reconnectMaxMs ?? 10_000);
    this.reconnectTimer = setTimeout(() => void this.connectOnce(), delay);
  }

  private async startConsuming(connection: ChannelModel): Promise<void> {
    const channel = await connection.createChannel();
    channel.on('error', (error: Error) => this.options.logger.warn({ err: error }, 'RabbitMQ consume channel error'));
    await channel.prefetch(this.options.prefetch ?? 10);
    const { consumerTag } = await channel.consume(this.topology.queue, (message) => {
      if (!message) return; // consumer cancelled by the broker (queue deleted); reconnect re-declares
      const task = this.handleMessage(channel, message).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
    });
    this.consumeChannel = channel;
    this.consumerTag = consumerTag;
    if (this.consumersStopped) {
      // stopConsuming() ran while this consumer was being set up
      this.consumerTag = undefined;
      await channel.cancel(consumerTag).catch(() => undefined);
    }
  }

  private async handleMessage(channel: Channel, message: ConsumeMessage): Promise<void> {
    const { logger, metrics } = this.options;
    const attempt = Number(message.properties.headers?.[ATTEMPT_HEADER] ?? 1);
    let event: EventEnvelope;
    let subscription: Subscription | undefined;
    try {
      const envelope = eventEnvelopeSchema.safeParse(JSON.parse(message.content.toString('utf8')));
      if (!envelope.success) throw new PoisonMessage(`invalid envelope: ${envelope.error.issues[0]?.message ?? ''}`);
      event = envelope.data;
      subscription = this.subscriptions.get(event.type) ?? this.subscriptions.get('#');
      if (subscription) {
        const data = subscription.schema.safeParse(event.data);
        if (!data.success) {
          const issue = data.error.issues[0];
          throw new PoisonMessage(`invalid ${event.type} data: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
        }
        event = { ...event, data: data.data };
      }
    } catch (error) {
      const reason = error instanceof PoisonMessage ? error.message : 'body is not JSON';
      logger.error({ reason, messageId: message.properties.messageId }, 'poison message dead-lettered');
      await this.deadLetter(channel, message, reason);
      metrics.eventsConsumed.inc({ type: message.fields.routingKey, outcome: 'dead_lettered' });
      return;
    }
    if (!subscription) {
      // a binding left from an older version: nothing here handles it
      settle(() => channel.ack(message));
      metrics.eventsConsumed.inc({ type: event.type, outcome: 'ignored' });
      return;
    }
    const handler = subscription.handler;
    await runWithContext({ requestId: event.requestId ?? event.id, eventId: event.id }, async () => {
      try {
        const outcome = (await handler(event)) ?? 'handled';
        settle(() => channel.ack(message));
        metrics.eventsConsumed.inc({ type: event.type, outcome });
        logger.debug({ type: event.type, outcome }, 'event consumed');
      } catch (error) {
        await this.retryOrDeadLetter(channel, message, event, attempt, error);
      }
    });
  }

  private async retryOrDeadLetter(
    channel: Channel,
    message: ConsumeMessage,
    event: EventEnvelope,
    attempt: number,
    error: unknown,
  ): Promise<void> {
    const { logger, metrics } = this.options;
    const reason = error instanceof Error ? error.message : String(error);
    const delay = this.retryDelaysMs[attempt - 1];
    if (delay === undefined) {
      logger.error({ err: error, type: event.type, attempt }, 'handler failed for the last time, dead-lettering');
      await this.deadLetter(channel, message, reason);
      metrics.eventsConsumed.inc({ type: event.type, outcome: 'dead_lettered' });
      return;
    }
    logger.warn({ err: error, type: event.type, attempt, retryInMs: delay }, 'handler failed, will retry');
    try {
      const publishChannel = this.publishChannel;
      if (!publishChannel) throw new Error('not connected to RabbitMQ');
      await this.confirmedPublish(publishChannel, '', this.topology.retryQueue(delay), message.content, {
        ...message.properties.headers,
        [ATTEMPT_HEADER]: attempt + 1,
        'x-last-error': reason.slice(0, 500),
      });
      settle(() => channel.ack(message));
      metrics.eventsConsumed.inc({ type: event.type, outcome: 'retried' });
    } catch (publishError) {
      // cannot park it for later: hand it back to the broker so nothing is lost
      logger.warn({ err: publishError }, 'cannot schedule retry, requeueing');
      settle(() => channel.nack(message, false, true));
    }
  }

  private async deadLetter(channel: Channel, message: ConsumeMessage, reason: string): Promise<void> {
    try {
      const publishChannel = this.publishChannel;
      if (!publishChannel) throw new Error('not connected to RabbitMQ');
      await this.confirmedPublish(publishChannel, '', this.topology.deadLetterQueue, message.content, {
        ...message.properties.headers,
        'x-dead-letter-reason': reason.slice(0, 500),
        'x-original-routing-key': message.fields.routingKey,
      });
      settle(() => channel.ack(message));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'cannot dead-letter, requeueing');
      settle(() => channel.nack(message, false, true));
    }
  }

  private confirmedPublish(
    channel: ConfirmChannel,
    exchange: string,
    routingKey: string,
    body: EventEnvelope | Buffer,
    headers: Record<string, unknown>,
  ): Promise<void> {
    const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const event = Buffer.isBuffer(body) ? undefined : body;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('publish not confirmed in time')),
        this.options.publishTimeoutMs ?? 10_000,
      );
      try {
        channel.publish(
          exchange,
          routingKey,
          content,
          {
            persistent: true,
            contentType: 'application/json',
            ...(event
              ? { messageId: event.id, type: event.type, timestamp: Math.floor(Date.parse(event.occurredAt) / 1000) }
              : {}),
            headers: { ...headers, ...(event?.requestId ? { 'x-request-id': event.requestId } : {}) },
          },
          (error: unknown) => {
            clearTimeout(timer);
            if (error) reject(error instanceof Error ? error : new Error('publish nacked by the broker'));
            else resolve();
          },
        );
      } catch (error) {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }
}

class PoisonMessage extends Error {}

/** Acking on a channel that died with its connection throws; the broker redelivers the message
 * then, and handlers are idempotent, so there is nothing else to do. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // channel closed: the message will be redelivered
  }
}
