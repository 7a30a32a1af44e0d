import type { ClaimedDelivery } from '../../data-access/delivery-queue.repository';
import type { Endpoint } from '../../data-access/webhooks.repository';

export interface Job {
  delivery: ClaimedDelivery;
  endpoint: Endpoint;
}

export interface LaneOptions {
  /** attempts in flight per endpoint */
  concurrency: number;
  /** attempts in flight per worker, over all endpoints */
  maxInFlight: number;
  /** jobs waiting per endpoint before new ones are left to the poller */
  queueLimit: number;
}

interface Lane {
  id: string;
  active: number;
  queue: Job[];
  /** rate limit: the send slot reserved for the next attempt (one at a time per lane) */
  slotAt?: number;
  reserving: boolean;
  /** the last slot used, for spacing locally if the shared reservation fails */
  lastSlotAt: number;
  timer?: NodeJS.Timeout;
}

/** Reserves the next send slot of an endpoint across all instances (epoch ms). */
export type ReserveSlot = (endpointId: string, intervalMs: number) => Promise<number>;

/** Told about failures the lanes handled themselves (logged by the worker): nothing is lost, but an
 * operator should see them. */
export type ReportError = (error: unknown, what: string, endpointId: string) => void;

/**
 * One lane per endpoint: its own concurrency limit, rate limit (deliveries per second, spaced
 * evenly) and queue, and a round-robin over lanes for the shared in-flight budget. A receiver that
 * hangs fills only its own lane; the others keep flowing.
 */
export class EndpointLanes {
  private readonly lanes = new Map<string, Lane>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly options: LaneOptions,
    private readonly run: (job: Job) => Promise<void>,
    private readonly reserveSlot: ReserveSlot,
    private readonly report: ReportError,
  ) {}

  /** Endpoints whose queue is full (the poller does not claim for them). */
  fullEndpoints(): string[] {
    return [...this.lanes].filter(([, lane]) => lane.queue.length >= this.options.queueLimit).map(([id]) => id);
  }

  canAccept(endpointId: string, planned = 0): boolean {
    return (this.lanes.get(endpointId)?.queue.length ?? 0) + planned < this.options.queueLimit;
  }

  /** Jobs waiting (not yet started) for this endpoint. */
  queued(endpointId: string): number {
    return this.lanes.get(endpointId)?.queue.length ?? 0;
  }

  /** false when the endpoint's queue is full (unless `evenIfFull`): the caller gives the lease back. */
  push(job: Job, evenIfFull = false): boolean {
    let lane = this.lanes.get(job.endpoint.id);
    if (!lane) {
      lane = { id: job.endpoint.id, active: 0, queue: [], reserving: false, lastSlotAt: 0 };
      this.lanes.set(job.endpoint.id, lane);
    }
    if (!evenIfFull && lane.queue.length >= this.options.queueLimit) return false;
    lane.queue.push(job);
    this.pump();
    return true;
  }

  /** Removes every waiting job (shutdown); attempts in flight continue. */
  drain(): Job[] {
    const jobs: Job[] = [];
    for (const lane of this.lanes.values()) {
      jobs.push(...lane.queue.splice(0));
      clearTimeout(lane.timer);
    }
    return jobs;
  }

  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    let started = true;
    // one job per lane per pass, so a busy endpoint cannot take the whole in-flight budget first
    while (started && this.inFlight < this.options.maxInFlight) {
      started = false;
      for (const lane of this.lanes.values()) {
        if (this.inFlight >= this.options.maxInFlight) break;
        if (this.startNext(lane)) started = true;
      }
    }
  }

  private startNext(lane: Lane): boolean {
    const job = lane.queue[0];
    if (!job || lane.active >= this.options.concurrency) return false;
    const rate = job.endpoint.rateLimit;
    if (rate && !this.takeSlot(lane, 1000 / rate)) return false;
    lane.queue.shift();
    lane.active++;
    this.inFlight++;
    // the job's promise is kept by nobody: its failure is reported here (its lease expires and the
    // poller retries it), and the slot is given back whatever happened
    void this.run(job)
      .catch((error: unknown) => this.report(error, 'delivery attempt failed', lane.id))
      .finally(() => this.finished(lane));
    return true;
  }

  private finished(lane: Lane): void {
    lane.active--;
    this.inFlight--;
    if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    // an idle lane whose rate-limit spacing has passed holds nothing worth keeping
    if (lane.active === 0 && lane.queue.length === 0 && !lane.timer && !lane.reserving && lane.slotAt === undefined) {
      this.lanes.delete(lane.id);
    }
    this.pump();
  }

  /**
   * Rate limit across instances: each lane holds at most one reserved slot, so an instance never
   * books far ahead (N instances keep at most N slots booked). The job starts when its slot comes.
   */
  private takeSlot(lane: Lane, intervalMs: number): boolean {
    const now = Date.now();
    if (lane.slotAt === undefined) {
      if (!lane.reserving) {
        lane.reserving = true;
        void this.reserveSlot(lane.id, intervalMs)
          .catch((error: unknown) => {
            // the database is unreachable: keep the limit at least per instance
            this.report(error, 'shared rate-limit slot not reserved; spacing locally', lane.id);
            return Math.max(now, lane.lastSlotAt + intervalMs);
          })
          .then((slot) => {
            lane.slotAt = slot;
            lane.reserving = false;
            this.pump();
          })
          .catch((error: unknown) => this.report(error, 'rate-limited lane could not be resumed', lane.id));
      }
      return false;
    }
    if (now < lane.slotAt) {
      if (!lane.timer) {
        lane.timer = setTimeout(() => {
          lane.timer = undefined;
          this.pump();
        }, lane.slotAt - now);
      }
      return false;
    }
    lane.lastSlotAt = lane.slotAt;
    lane.slotAt = undefined;
    return true;
  }
}
