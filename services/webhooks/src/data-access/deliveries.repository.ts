import type { QueryFilter } from 'mongoose';

import { claimedOf, leaseFree, type ClaimedDelivery } from './delivery-queue.repository';
import type { DeliveryDoc, Models } from './models';

export interface DeliveryFilters {
  status?: 'pending' | 'succeeded' | 'failed';
  eventType?: string;
  from?: Date;
  to?: Date;
}

/** The partner-facing side of deliveries: history, manual retry and recover (always by garage). */
export class DeliveriesRepository {
  constructor(
    private readonly models: Models,
    private readonly instanceId: string,
    private readonly leaseMs: number,
  ) {}

  async list(garageId: string, webhookId: string, filters: DeliveryFilters, skip: number, limit: number) {
    const query: QueryFilter<DeliveryDoc> = { garageId, webhookId };
    if (filters.status) query.status = filters.status;
    if (filters.eventType) query.eventType = filters.eventType;
    if (filters.from || filters.to) {
      query.createdAt = { ...(filters.from ? { $gte: filters.from } : {}), ...(filters.to ? { $lt: filters.to } : {}) };
    }
    const [items, total] = await Promise.all([
      this.models.Delivery.find(query).sort({ createdAt: -1, _id: 1 }).skip(skip).limit(limit).lean<DeliveryDoc[]>(),
      this.models.Delivery.countDocuments(query),
    ]);
    return { items, total };
  }

  get(garageId: string, webhookId: string, id: string): Promise<DeliveryDoc | null> {
    return this.models.Delivery.findOne({ _id: id, garageId, webhookId }).lean<DeliveryDoc>();
  }

  /** Makes a delivery due now with one attempt, leased to this worker; refused while an attempt
   * is in flight (its result would overwrite ours). `webhookEpoch` is the subscription's epoch as
   * read (active) by the caller: a disable since then cancels the attempt. */
  async retryNow(garageId: string, webhookId: string, id: string, webhookEpoch: number): Promise<ClaimedDelivery | 'in_progress' | null> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const before = await this.models.Delivery.findOneAndUpdate(
      { _id: id, garageId, webhookId, ...leaseFree(now) },
      {
        $set: {
          status: 'pending',
          nextAttemptAt: now,
          manual: true,
          failureReason: null,
          webhookEpoch,
          leaseUntil,
          leaseOwner: this.instanceId,
        },
      },
      { returnDocument: 'before' },
    ).lean<DeliveryDoc>();
    if (before) return claimedOf({ ...before, manual: true, webhookEpoch }, leaseUntil);
    return (await this.get(garageId, webhookId, id)) ? 'in_progress' : null;
  }

  /** Svix's recover: every failed delivery since `since` is due again (one attempt each), for the
   * subscription's current epoch (including those cancelled by a disable or re-enable). */
  async recover(garageId: string, webhookId: string, since: Date, webhookEpoch: number): Promise<number> {
    const result = await this.models.Delivery.updateMany(
      { garageId, webhookId, status: 'failed', createdAt: { $gte: since } },
      { $set: { status: 'pending', nextAttemptAt: new Date(), manual: true, failureReason: null, webhookEpoch } },
    );
    return result.modifiedCount;
  }
}
