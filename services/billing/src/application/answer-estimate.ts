import { errors } from '@pitlane/core';
import { createEvent } from '@pitlane/events';

import { APPROVAL_TOKEN_PATTERN, effectiveStatus, hashApprovalToken, type Estimate } from '../domain/estimate';
import { estimateSummaryOf } from '../domain/summaries';
import type { UseCaseDeps } from './deps';

/** The customer's side of an estimate: found by the hash of the token in the approval link. A
 * malformed token is a plain 404 like an unknown one (nothing to probe). */
export function findByApprovalToken({ estimates }: Pick<UseCaseDeps, 'estimates'>) {
  return async (token: string): Promise<Estimate> => {
    const estimate = APPROVAL_TOKEN_PATTERN.test(token) ? await estimates.findByTokenHash(hashApprovalToken(token)) : null;
    if (!estimate) throw errors.notFound('Estimate');
    return estimate;
  };
}

/**
 * The customer's answer through the public link. Single use: the write only matches while the
 * estimate is still sent under THIS token, so of two concurrent answers exactly one wins.
 */
export function answerEstimate({ estimates, outbox }: Pick<UseCaseDeps, 'estimates' | 'outbox'>) {
  const find = findByApprovalToken({ estimates });
  return async (token: string, answer: { decision: 'approved' | 'rejected'; reason: string | null }): Promise<Estimate> => {
    const estimate = await find(token);
    const hash = hashApprovalToken(token);
    const now = new Date();
    const status = effectiveStatus(estimate, now);
    if (status === 'expired') {
      // write the expiry down (no event: the customer did not answer), then refuse
      await estimates.answerIfSent(estimate._id, hash, { status: 'expired' }, []);
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
    if (!(await estimates.answerIfSent(estimate._id, hash, set, [event]))) throw alreadyAnswered(estimate.number, 'answered');
    outbox.nudge();
    return { ...estimate, ...set, updatedAt: now };
  };
}

function alreadyAnswered(number: string, status: string) {
  return errors.conflict('ESTIMATE_ALREADY_ANSWERED', `Estimate ${number} was already ${status}; the link works once.`, { status });
}
