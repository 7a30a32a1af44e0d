import { withEvents, type EventEnvelope } from '@pitlane/events';
import type { UpdateQuery } from 'mongoose';

import type { Estimate } from '../domain/estimate';
import type { EstimateDoc } from './estimate.model';
import type { Models } from './models';
import { insertWithNextNumber } from './numbering';

export interface EstimateQuery {
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
  set: Partial<Estimate> & { approvalTokenHash?: string };
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
      // dateFrom/dateTo on the creation day (UTC) of the estimate
      if (query.dateFrom) and.push({ createdAt: { $gte: new Date(`${query.dateFrom}T00:00:00.000Z`) } });
      if (query.dateTo) and.push({ createdAt: { $lt: new Date(new Date(`${query.dateTo}T00:00:00.000Z`).getTime() + 86_400_000) } });
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
