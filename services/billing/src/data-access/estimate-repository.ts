import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';
import { createEvent, withEvents } from '@pitlane/events';

import { effectiveStatus, estimateNumber, newApprovalToken, priceLines, type EstimateLineInput } from '../domain/estimate';
import { estimateSummaryOf } from '../domain/summaries';
import type { EstimateDoc } from './estimate-model';
import type { Models } from './models';
import { insertWithNextNumber } from './numbering';

export interface Tenant {
  organisationId: string;
  garageId: string;
  currency: string;
  timezone: string;
}

export interface EstimateInput {
  customerId: string;
  vehicleId: string | null;
  bookingId: string | null;
  lines: EstimateLineInput[];
  validUntil: string | null;
  notes: string | null;
}

/** A draft estimate with the next EST number of the garage, and estimate.created, in one insert. */
export async function createEstimate(models: Pick<Models, 'Estimate' | 'Counter'>, tenant: Tenant, input: EstimateInput): Promise<EstimateDoc> {
  const { lines, totals } = priceLines(input.lines);
  const id = randomUUID();
  let created: EstimateDoc | undefined;
  await insertWithNextNumber({
    counters: models.Counter,
    counterId: `${tenant.garageId}:EST`,
    insert: async (seq) => {
      const now = new Date();
      const doc: Omit<EstimateDoc, 'approvalTokenHash' | 'createdAt' | 'updatedAt'> = {
        _id: id,
        garageId: tenant.garageId,
        organisationId: tenant.organisationId,
        number: estimateNumber(seq),
        seq,
        ...input,
        currency: tenant.currency,
        timezone: tenant.timezone,
        lines,
        ...totals,
        status: 'draft',
        revision: 0,
        sentAt: null,
        expiresAt: null,
        answeredAt: null,
        rejectionReason: null,
      };
      const event = createEvent('billing', { ...tenant, type: 'estimate.created', data: { estimate: estimateSummaryOf(doc, 'draft') } });
      await models.Estimate.collection.insertOne({ ...doc, createdAt: now, updatedAt: now, outbox: [event] } as never);
      created = { ...doc, createdAt: now, updatedAt: now };
    },
  });
  if (!created) throw new Error('estimate insert reported success without a document');
  return created;
}

export function findEstimate(models: Pick<Models, 'Estimate'>, garageId: string, estimateId: string): Promise<EstimateDoc | null> {
  return models.Estimate.findOne({ _id: estimateId, garageId }).lean<EstimateDoc>().exec();
}

export interface EstimateQuery {
  garageId: string;
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

/** `status` filters on the status partners see: a sent estimate past its expiry counts as expired. */
function statusFilter(status: string, now: Date, today: string): Record<string, unknown> {
  const lapsed = [{ expiresAt: { $lte: now } }, { validUntil: { $lt: today } }];
  if (status === 'expired') return { $or: [{ status: 'expired' }, { status: 'sent', $or: lapsed }] };
  if (status === 'sent') return { status: 'sent', expiresAt: { $gt: now }, $or: [{ validUntil: null }, { validUntil: { $gte: today } }] };
  return { status };
}

export async function listEstimates(models: Pick<Models, 'Estimate'>, query: EstimateQuery): Promise<{ items: EstimateDoc[]; total: number }> {
  const and: Record<string, unknown>[] = [{ garageId: query.garageId }];
  if (query.status) and.push({ $or: query.status.map((s) => statusFilter(s, query.now, query.today)) });
  if (query.customerId) and.push({ customerId: query.customerId });
  // dateFrom/dateTo on the creation day (UTC) of the estimate
  if (query.dateFrom) and.push({ createdAt: { $gte: new Date(`${query.dateFrom}T00:00:00.000Z`) } });
  if (query.dateTo) and.push({ createdAt: { $lt: new Date(new Date(`${query.dateTo}T00:00:00.000Z`).getTime() + 86_400_000) } });
  const filter = { $and: and };
  const [items, total] = await Promise.all([
    models.Estimate.find(filter).sort({ ...query.sort, _id: 1 }).skip(query.skip).limit(query.limit).lean<EstimateDoc[]>().exec(),
    models.Estimate.countDocuments(filter).exec(),
  ]);
  return { items, total };
}

/** PATCH: only while draft or sent; a change to a sent estimate takes it back to draft and kills its
 * link (the customer must see what they approve), so it has to be sent again. */
export async function updateEstimate(
  models: Pick<Models, 'Estimate'>,
  garageId: string,
  estimateId: string,
  changes: Partial<EstimateInput>,
): Promise<EstimateDoc> {
  const estimate = await findEstimate(models, garageId, estimateId);
  if (!estimate) throw errors.notFound('Estimate');
  const status = effectiveStatus(estimate, new Date());
  if (status !== 'draft' && status !== 'sent') {
    throw errors.conflict('INVALID_STATUS_TRANSITION', `Estimate ${estimate.number} is ${status} and can no longer be changed.`, { status, allowed: [] });
  }
  const { lines: lineInputs, ...fields } = changes;
  const priced = lineInputs ? priceLines(lineInputs) : undefined;
  const set = { ...fields, ...(priced ? { lines: priced.lines, ...priced.totals } : {}), status: 'draft' as const, sentAt: null, expiresAt: null };
  const result = await models.Estimate.updateOne(
    { _id: estimateId, garageId, status: estimate.status, revision: estimate.revision },
    { $set: set, $unset: { approvalTokenHash: '' }, $inc: { revision: 1 } },
  );
  if (result.matchedCount !== 1) {
    throw errors.conflict('CONCURRENT_UPDATE', `Estimate ${estimate.number} was changed meanwhile; read it again and retry.`);
  }
  return { ...estimate, ...set, revision: estimate.revision + 1, updatedAt: new Date() };
}

/** Sends (or re-sends) an estimate: a fresh approval token replaces any earlier one. */
export async function sendEstimate(
  models: Pick<Models, 'Estimate'>,
  garageId: string,
  estimateId: string,
  expiresAt: Date,
): Promise<{ estimate: EstimateDoc; token: string }> {
  const estimate = await findEstimate(models, garageId, estimateId);
  if (!estimate) throw errors.notFound('Estimate');
  const now = new Date();
  const current = effectiveStatus(estimate, now);
  if (current !== 'draft' && current !== 'sent') {
    throw errors.conflict('INVALID_STATUS_TRANSITION', `Estimate ${estimate.number} is ${current} and cannot be sent.`, { status: current, allowed: [] });
  }
  if (estimate.validUntil && effectiveStatus({ ...estimate, status: 'sent', expiresAt }, now) === 'expired') {
    throw errors.conflict('ESTIMATE_EXPIRED', `Estimate ${estimate.number} was valid until ${estimate.validUntil}; change validUntil first.`);
  }
  const { token, hash } = newApprovalToken();
  const set = { status: 'sent' as const, sentAt: now, expiresAt, approvalTokenHash: hash };
  const event = createEvent('billing', {
    organisationId: estimate.organisationId,
    garageId,
    type: 'estimate.sent',
    data: { estimate: estimateSummaryOf(estimate, 'sent'), expiresAt: expiresAt.toISOString() },
  });
  const result = await models.Estimate.updateOne(
    { _id: estimateId, garageId, status: estimate.status, revision: estimate.revision },
    withEvents<EstimateDoc>({ $set: set, $inc: { revision: 1 } }, event),
  );
  if (result.matchedCount !== 1) {
    throw errors.conflict('CONCURRENT_UPDATE', `Estimate ${estimate.number} was changed meanwhile; read it again and retry.`);
  }
  const { approvalTokenHash: _hash, ...visible } = set;
  return { estimate: { ...estimate, ...visible, revision: estimate.revision + 1, updatedAt: now }, token };
}
