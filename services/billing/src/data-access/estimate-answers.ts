import { errors } from '@pitlane/core';
import { createEvent, withEvents } from '@pitlane/events';

import { effectiveStatus, hashApprovalToken } from '../domain/estimate';
import { estimateSummaryOf } from '../domain/summaries';
import type { EstimateDoc } from './estimate-model';
import type { Models } from './models';

/** The customer's side of an estimate: found by the hash of the token in the approval link. */
export function findByApprovalToken(models: Pick<Models, 'Estimate'>, token: string): Promise<EstimateDoc | null> {
  return models.Estimate.findOne({ approvalTokenHash: hashApprovalToken(token) }).lean<EstimateDoc>().exec();
}

/**
 * The customer's answer through the public link. Single use: the update only matches while the
 * estimate is still sent under THIS token, so of two concurrent answers exactly one wins.
 */
export async function answerEstimate(
  models: Pick<Models, 'Estimate'>,
  token: string,
  answer: { decision: 'approved' | 'rejected'; reason: string | null },
): Promise<EstimateDoc> {
  const hash = hashApprovalToken(token);
  const estimate = await models.Estimate.findOne({ approvalTokenHash: hash }).lean<EstimateDoc>().exec();
  if (!estimate) throw errors.notFound('Estimate');
  const now = new Date();
  const status = effectiveStatus(estimate, now);
  if (status === 'expired') {
    // write the expiry down (no event: the customer did not answer), then refuse
    await models.Estimate.updateOne({ _id: estimate._id, status: 'sent', approvalTokenHash: hash }, { $set: { status: 'expired' } });
    throw errors.conflict('ESTIMATE_EXPIRED', `Estimate ${estimate.number} has expired; ask the garage for a new one.`);
  }
  if (status !== 'sent') throw alreadyAnswered(estimate.number, status);

  const set = { status: answer.decision, answeredAt: now, rejectionReason: answer.decision === 'rejected' ? answer.reason : null };
  const summary = estimateSummaryOf(estimate, answer.decision);
  const meta = { organisationId: estimate.organisationId, garageId: estimate.garageId };
  const event =
    answer.decision === 'approved'
      ? createEvent('billing', { ...meta, type: 'estimate.approved', data: { estimate: summary } })
      : createEvent('billing', { ...meta, type: 'estimate.rejected', data: { estimate: summary, reason: answer.reason } });
  const result = await models.Estimate.updateOne({ _id: estimate._id, status: 'sent', approvalTokenHash: hash }, withEvents<EstimateDoc>({ $set: set }, event));
  if (result.matchedCount !== 1) throw alreadyAnswered(estimate.number, 'answered');
  return { ...estimate, ...set, updatedAt: now };
}

function alreadyAnswered(number: string, status: string) {
  return errors.conflict('ESTIMATE_ALREADY_ANSWERED', `Estimate ${number} was already ${status}; the link works once.`, { status });
}
