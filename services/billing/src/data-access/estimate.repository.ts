import { timestampFilter, type TimestampRange } from '@pitlane/core';
import { announceOutbox, withEvents, type EventEnvelope } from '@pitlane/events';
import type { UpdateQuery } from 'mongoose';

import type { Estimate, EstimateSend } from '../domain/estimate';
import type { EstimateMail } from '../domain/estimate-mail';
import type { EstimateDoc } from './estimate.model';
import type { Models } from './models';
import { insertWithNextNumber } from './numbering';

export interface EstimateQuery extends TimestampRange {
  garageId: string;
  /** the garage-local date of `now`: validUntil is compared to it */
  today: string;
  now: Date;
  status?: string[];
  customerId?: string;
  dateFrom?: string;
  dateTo?: string;
  sort: Record<string, 1 | -1>;
  skip: number;
  limit: number;
}

export type NewEstimate = { estimate: Omit<Estimate, 'createdAt' | 'updatedAt'>; events: EventEnvelope[] };

/** A change by the garage: `approvalTokenHash` set by a send, `clearToken` by an edit (the link dies). */
export interface EstimateChange {
  set: Partial<Estimate> & { approvalTokenHash?: string; deliveryMessage?: EstimateMail; deliveryLeaseUntil?: Date | null };
  clearToken?: boolean;
  events?: EventEnvelope[];
}

export interface EstimateRepository {
  /** Inserts the estimate under the next EST number of its garage (numbering.ts), its events in the same insert. */
  insertNumbered(garageId: string, build: (seq: number) => NewEstimate): Promise<Estimate>;
  find(garageId: string, estimateId: string): Promise<Estimate | null>;
  list(query: EstimateQuery): Promise<{ items: Estimate[]; total: number }>;
  /** Compare-and-set on the revision the change was decided on (bumps it); false when it moved meanwhile. */
  changeAtRevision(current: Pick<Estimate, '_id' | 'garageId' | 'status' | 'revision'>, change: EstimateChange): Promise<boolean>;
  /** the estimate behind an approval link, by the hash of its token */
  findByTokenHash(hash: string): Promise<Estimate | null>;
  /** Writes the customer's answer only while it is still sent under THIS token: of two concurrent
   * answers exactly one gets true. */
  answerIfSent(estimateId: string, hash: string, set: Partial<Estimate>, events: EventEnvelope[]): Promise<boolean>;
  /** Takes the queued e-mail of THIS delivery for `leaseMs` (nobody else sends it meanwhile); null when
   * it was sent, replaced by a newer send, or is held by another sender. */
  claimDelivery(estimateId: string, deliveryId: string, leaseMs: number): Promise<(EstimateMail & { to: string }) | null>;
  markDelivered(estimateId: string, deliveryId: string, sent: EstimateSend): Promise<void>;
  /** the try failed: counted, the lease dropped so the next worker pass tries again */
  markAttemptFailed(estimateId: string, deliveryId: string, error: string): Promise<void>;
  /** queued deliveries no sender holds */
  pendingDeliveries(limit: number): Promise<{ estimateId: string; deliveryId: string }[]>;
}

/** `status` filters on the status partners see: a sent estimate past its expiry counts as expired. */
function statusFilter(status: string, now: Date, today: string): Record<string, unknown> {
  const lapsed = [{ expiresAt: { $lte: now } }, { validUntil: { $lt: today } }];
  if (status === 'expired') return { $or: [{ status: 'expired' }, { status: 'sent', $or: lapsed }] };
  if (status === 'sent') return { status: 'sent', expiresAt: { $gt: now }, $or: [{ validUntil: null }, { validUntil: { $gte: today } }] };
  return { status };
}

export function estimateRepository(models: Pick<Models, 'Estimate' | 'Counter'>): EstimateRepository {
  const { Estimate: estimates } = models;
  return {
    insertNumbered: async (garageId, build) => {
      let created: Estimate | undefined;
      await insertWithNextNumber({
        counters: models.Counter,
        counterId: `${garageId}:EST`,
        insert: async (seq) => {
          const now = new Date();
          const { estimate, events } = build(seq);
          await estimates.collection.insertOne({ ...estimate, createdAt: now, updatedAt: now, outbox: events } as never);
          announceOutbox(estimates, estimate._id); // a driver write: mongoose's hooks did not see it
          created = { ...estimate, createdAt: now, updatedAt: now };
        },
      });
      if (!created) throw new Error('estimate insert reported success without a document');
      return created;
    },

    find: (garageId, estimateId) => estimates.findOne({ _id: estimateId, garageId }).lean<EstimateDoc>().exec(),

    list: async (query) => {
      const and: Record<string, unknown>[] = [{ garageId: query.garageId }];
      if (query.status) and.push({ $or: query.status.map((s) => statusFilter(s, query.now, query.today)) });
      if (query.customerId) and.push({ customerId: query.customerId });
      // dateFrom/dateTo (the creation day, UTC) arrive as createdFrom/createdTo (list-query.ts)
      const stamps = timestampFilter(query);
      if (Object.keys(stamps).length > 0) and.push(stamps);
      const filter = { $and: and };
      const [items, total] = await Promise.all([
        estimates.find(filter).sort({ ...query.sort, _id: 1 }).skip(query.skip).limit(query.limit).lean<EstimateDoc[]>().exec(),
        estimates.countDocuments(filter).exec(),
      ]);
      return { items, total };
    },

    changeAtRevision: async (current, { set, clearToken = false, events = [] }) => {
      const update: UpdateQuery<EstimateDoc> = { $set: set, $inc: { revision: 1 }, ...(clearToken ? { $unset: { approvalTokenHash: '' } } : {}) };
      const result = await estimates.updateOne(
        { _id: current._id, garageId: current.garageId, status: current.status, revision: current.revision },
        events.length > 0 ? withEvents<EstimateDoc>(update, ...events) : update,
      );
      return result.matchedCount === 1;
    },

    findByTokenHash: (hash) => estimates.findOne({ approvalTokenHash: hash }).lean<EstimateDoc>().exec(),

    claimDelivery: async (estimateId, deliveryId, leaseMs) => {
      const now = new Date();
      const claimed = await estimates
        .findOneAndUpdate(
          { _id: estimateId, 'delivery.id': deliveryId, 'delivery.status': 'sending', $or: [{ deliveryLeaseUntil: null }, { deliveryLeaseUntil: { $lte: now } }] },
          { $set: { deliveryLeaseUntil: new Date(now.getTime() + leaseMs) } },
          // 'before': the stand-in may return a later state with 'after' (docs/developing.md); the message does not change
          { returnDocument: 'before', projection: { deliveryMessage: 1, delivery: 1 } },
        )
        .lean<Pick<EstimateDoc, 'deliveryMessage' | 'delivery'>>()
        .exec();
      if (!claimed?.deliveryMessage || !claimed.delivery) return null;
      return { ...claimed.deliveryMessage, to: claimed.delivery.to };
    },

    markDelivered: async (estimateId, deliveryId, sent) => {
      await estimates.updateOne(
        { _id: estimateId, 'delivery.id': deliveryId, 'delivery.status': 'sending' },
        {
          $set: { 'delivery.status': 'sent', 'delivery.sentAt': sent.sentAt, 'delivery.messageId': sent.messageId, 'delivery.lastError': null },
          $inc: { 'delivery.attempts': 1 },
          $unset: { deliveryMessage: '', deliveryLeaseUntil: '' },
          $push: { sends: sent },
        },
      );
    },

    markAttemptFailed: async (estimateId, deliveryId, error) => {
      await estimates.updateOne(
        { _id: estimateId, 'delivery.id': deliveryId, 'delivery.status': 'sending' },
        { $set: { 'delivery.lastError': error.slice(0, 500), deliveryLeaseUntil: null }, $inc: { 'delivery.attempts': 1 } },
      );
    },

    pendingDeliveries: async (limit) => {
      const now = new Date();
      const docs = await estimates
        .find({ 'delivery.status': 'sending', $or: [{ deliveryLeaseUntil: null }, { deliveryLeaseUntil: { $lte: now } }] }, { delivery: 1 })
        .limit(limit)
        .lean<Pick<EstimateDoc, '_id' | 'delivery'>[]>()
        .exec();
      return docs.flatMap((doc) => (doc.delivery ? [{ estimateId: doc._id, deliveryId: doc.delivery.id }] : []));
    },

    answerIfSent: async (estimateId, hash, set, events) => {
      const update: UpdateQuery<EstimateDoc> = { $set: set };
      const result = await estimates.updateOne(
        { _id: estimateId, status: 'sent', approvalTokenHash: hash },
        events.length > 0 ? withEvents<EstimateDoc>(update, ...events) : update,
      );
      return result.matchedCount === 1;
    },
  };
}
