import type { Logger } from '@pitlane/core';

import type { Config } from '../../config';
import type { ClaimedDelivery, DeliveryQueue } from '../../data-access/delivery-queue.repository';
import type { Endpoint, WebhooksRepository } from '../../data-access/webhooks.repository';
import { EndpointLanes, type Job } from './endpoint-lanes';

const POLL_BATCH = 100;

export interface DeliveryWorkerDeps {
  config: Config;
  queue: DeliveryQueue;
  webhooks: WebhooksRepository;
  logger: Logger;
  /** one attempt (see attempt-delivery.ts); never rejects */
  attempt: (job: Job) => Promise<void>;
}

/**
 * Sends deliveries. New ones arrive leased from the fan-out (no wait); due retries and deliveries
 * whose worker died are found by polling `nextAttemptAt` and claimed under a lease (swap-and-
 * inspect, see DeliveryQueue.claim), so two instances never send the same attempt and retry
 * times survive restarts. Also purges finished deliveries past retention.
 */
export class DeliveryWorker {
  private readonly lanes: EndpointLanes;
  /** deliveries this worker holds the lease of, queued or in flight: the heartbeat extends them */
  private readonly held = new Map<string, ClaimedDelivery>();
  private heartbeat?: NodeJS.Timeout;
  private beating?: Promise<void>;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  /** a wake-up that came while no poll was waiting: the next wait is skipped */
  private wakePending = false;
  /** endpoints with deliveries left in the database for want of room in their lane */
  private readonly backlogged = new Set<string>();

  constructor(private readonly deps: DeliveryWorkerDeps) {
    const { config, logger } = deps;
    this.lanes = new EndpointLanes(
      {
        concurrency: config.WEBHOOK_ENDPOINT_CONCURRENCY,
        maxInFlight: config.WEBHOOK_MAX_IN_FLIGHT,
        queueLimit: config.WEBHOOK_ENDPOINT_QUEUE_LIMIT,
      },
      (job) =>
        deps.attempt(job).finally(() => {
          this.held.delete(job.delivery.id);
          this.roomMade(job.endpoint.id);
        }),
      (endpointId, intervalMs) => deps.webhooks.reserveSendSlot(endpointId, intervalMs),
      (error, what, webhookId) => logger.error({ err: error, webhookId }, what),
    );
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
    this.scheduleHeartbeat();
  }

  /** Polls now (after a recover made deliveries due). */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakePending = true;
  }

  /** A new delivery for this endpoint was left in the database (its lane was full): polled for as
   * soon as the lane has room again. */
  leftForPoll(endpointId: string): void {
    this.backlogged.add(endpointId);
  }

  /**
   * Once the lane of an endpoint with deliveries waiting in the database has drained to half, poll
   * at once rather than at the next interval: in a burst the lanes emptied well before the next
   * poll refilled them (issue 16). Per endpoint, so a full lane elsewhere does not poll per attempt.
   */
  private roomMade(endpointId: string): void {
    if (!this.backlogged.has(endpointId) || this.lanes.queued(endpointId) > this.deps.config.WEBHOOK_ENDPOINT_QUEUE_LIMIT / 2) return;
    this.backlogged.delete(endpointId);
    this.wake();
  }

  /** Whether a new delivery for this endpoint can be taken in memory right away (besides
   * `planned` ones about to be dispatched). */
  canAccept(endpointId: string, planned = 0): boolean {
    return this.running && this.lanes.canAccept(endpointId, planned);
  }

  /** Queues a delivery this worker holds the lease of; gives the lease back if it cannot take it. */
  dispatch(delivery: ClaimedDelivery, endpoint: Endpoint): void {
    const holding = this.held.get(delivery.id);
    // already queued or in flight here (our own poll re-claimed it after the lease ran out): that job sends it, once
    if (holding && !holding.leaseEnding) return;
    // that job is recording its outcome (the lease was free because it gave it back, or the write
    // is still under way): this claim may have read the delivery before that write. Given back, it
    // is claimed by the next poll once the job is done, if still due. (Ignored, a retry due within
    // moments of its last attempt waited a whole lease, 10 s.)
    if (holding) return this.giveBack(delivery.id);
    this.held.set(delivery.id, delivery);
    // queued even over the lane's limit: the poll and the fan-out only take as many as there is room
    // for, so it is exceeded by one batch at most (racing each other), and giving the lease back
    // cost a write per delivery (a full scan on the stand-in: hundreds per burst, issue 16)
    if (this.running && this.lanes.push({ delivery, endpoint }, true)) return;
    this.held.delete(delivery.id);
    this.giveBack(delivery.id);
  }

  private giveBack(deliveryId: string): void {
    void this.deps.queue
      .release([deliveryId])
      .catch((error: unknown) => this.deps.logger.warn({ err: error, deliveryId }, 'cannot release delivery'));
  }

  /** Stops polling, gives waiting deliveries back and lets attempts in flight finish and be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    const waiting = this.lanes.drain();
    for (const job of waiting) this.held.delete(job.delivery.id);
    await this.deps.queue
      .release(waiting.map((job) => job.delivery.id))
      // their leases run out and another worker takes them: nothing is lost
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'cannot release waiting deliveries at shutdown'));
    // the heartbeat keeps beating for the attempts in flight until they are recorded
    await this.lanes.idle();
    // every attempt awaited its own record; this only catches a write queued outside a lane
    await this.deps.queue.flush().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'cannot store batched delivery writes at shutdown'));
    clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
    await this.beating;
  }

  /**
   * Every WEBHOOK_LEASE_HEARTBEAT_MS, while this worker lives: extend the lease of every delivery
   * it holds, so a lease can be short (a crashed worker's claims are free soon) while an attempt
   * may take longer than it. One write per beat; a failed beat is logged and the next one tries
   * again (the lease outlasts two missed beats, see config).
   */
  private scheduleHeartbeat(): void {
    this.heartbeat = setTimeout(() => {
      this.beating = this.deps.queue
        .extendLeases([...this.held.values()])
        .catch((error: unknown) => this.deps.logger.warn({ err: error, held: this.held.size }, 'lease heartbeat failed, will retry'))
        .finally(() => {
          if (this.heartbeat) this.scheduleHeartbeat();
        });
    }, this.deps.config.WEBHOOK_LEASE_HEARTBEAT_MS);
  }

  private async run(): Promise<void> {
    const interval = this.deps.config.WEBHOOK_POLL_INTERVAL_MS;
    let purgedAt = 0;
    while (this.running) {
      let claimed = 0;
      try {
        if (Date.now() - purgedAt >= this.deps.config.WEBHOOK_PURGE_INTERVAL_MS) {
          purgedAt = Date.now();
          await this.purge();
        }
        claimed = await this.pollOnce();
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'delivery poll failed, will retry');
      }
      if (!this.running) break;
      if (claimed >= POLL_BATCH || this.wakePending) {
        this.wakePending = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async purge(): Promise<void> {
    const cutoff = new Date(Date.now() - this.deps.config.WEBHOOK_RETENTION_MS);
    const purged = await this.deps.queue.purgeFinished(cutoff);
    if (purged > 0) this.deps.logger.info({ purged, cutoff }, 'finished deliveries past retention deleted');
  }

  private async pollOnce(): Promise<number> {
    const full = this.lanes.fullEndpoints();
    // their due deliveries are not looked at now: polled for again once their lanes have room
    for (const endpointId of full) this.backlogged.add(endpointId);
    const due = await this.deps.queue.findDue(POLL_BATCH, full);
    // claimed only as far as each lane has room (a claim beyond it would wait in memory over the
    // limit); the rest stay due and are polled for once the lane has drained to half
    const room = new Map<string, number>();
    const candidates = due.filter(({ webhookId }) => {
      const left = room.get(webhookId) ?? this.deps.config.WEBHOOK_ENDPOINT_QUEUE_LIMIT - this.lanes.queued(webhookId);
      room.set(webhookId, left - 1);
      if (left <= 0) this.backlogged.add(webhookId);
      return left > 0;
    });
    if (candidates.length === 0) return 0;
    const endpoints = await this.deps.webhooks.endpointsByIds([...new Set(candidates.map((c) => c.webhookId))]);
    // the claims of one batch go out together: one after another, a burst that overflowed the
    // lanes was refilled at one round trip per delivery (issue 16). Each claim is still exclusive.
    const deliveries = (await Promise.all(candidates.map((candidate) => this.deps.queue.claim(candidate._id)))).filter(
      (delivery) => delivery !== null, // null: another worker was faster
    );
    const gone: Promise<void>[] = [];
    for (const delivery of deliveries) {
      const endpoint = endpoints.get(delivery.webhookId);
      // dispatch gives the lease back at once if this worker is stopping meanwhile
      if (endpoint) this.dispatch(delivery, endpoint);
      else gone.push(this.deps.queue.failWithoutAttempt(delivery, 'endpoint_deleted'));
    }
    await Promise.all(gone);
    return deliveries.length;
  }
}
