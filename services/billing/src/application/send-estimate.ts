import { errors } from '@pitlane/core';
import { createEvent } from '@pitlane/events';

import type { Config } from '../config';
import { effectiveStatus, isOpen, newApprovalToken, type Estimate } from '../domain/estimate';
import { estimateSummaryOf } from '../domain/summaries';
import type { UseCaseDeps } from './deps';

const DAY_MS = 86_400_000;
const MAX_LINK_DAYS = 365;

/**
 * Sends (or re-sends) an estimate: a fresh single-use approval token replaces any earlier one; only its
 * hash is stored, the token goes out in the approval URL of the answer. The link lasts until
 * `expiresAt` (default: ESTIMATE_LINK_TTL_DAYS), at most a year.
 */
export function sendEstimate(
  { estimates, outbox }: Pick<UseCaseDeps, 'estimates' | 'outbox'>,
  config: Pick<Config, 'ESTIMATE_LINK_TTL_DAYS' | 'PUBLIC_BASE_URL'>,
) {
  return async (garageId: string, estimateId: string, requestedExpiry: Date | null): Promise<{ estimate: Estimate; approvalUrl: string }> => {
    const now = new Date();
    const expiresAt = requestedExpiry ?? new Date(now.getTime() + config.ESTIMATE_LINK_TTL_DAYS * DAY_MS);
    if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > now.getTime() + MAX_LINK_DAYS * DAY_MS) {
      throw errors.validation('The body is invalid.', [{ field: 'expiresAt', message: `must be in the future and within ${MAX_LINK_DAYS} days` }]);
    }
    const estimate = await estimates.find(garageId, estimateId);
    if (!estimate) throw errors.notFound('Estimate');
    const current = effectiveStatus(estimate, now);
    if (!isOpen(current)) {
      throw errors.conflict('INVALID_STATUS_TRANSITION', `Estimate ${estimate.number} is ${current} and cannot be sent.`, { status: current, allowed: [] });
    }
    if (estimate.validUntil && effectiveStatus({ ...estimate, status: 'sent', expiresAt }, now) === 'expired') {
      throw errors.conflict('ESTIMATE_EXPIRED', `Estimate ${estimate.number} was valid until ${estimate.validUntil}; change validUntil first.`);
    }
    const { token, hash } = newApprovalToken();
    const set = { status: 'sent' as const, sentAt: now, expiresAt };
    const event = createEvent('billing', {
      organisationId: estimate.organisationId,
      garageId,
      type: 'estimate.sent',
      data: { estimate: estimateSummaryOf(estimate, 'sent'), expiresAt: expiresAt.toISOString() },
    });
    if (!(await estimates.changeAtRevision(estimate, { set: { ...set, approvalTokenHash: hash }, events: [event] }))) {
      throw errors.conflict('CONCURRENT_UPDATE', `Estimate ${estimate.number} was changed meanwhile; read it again and retry.`);
    }
    outbox.nudge();
    const approvalUrl = `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/api/v1/public/estimates/${token}`;
    return { estimate: { ...estimate, ...set, revision: estimate.revision + 1, updatedAt: now }, approvalUrl };
  };
}
