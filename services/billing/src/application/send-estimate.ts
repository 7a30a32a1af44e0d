import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';
import { createEvent } from '@pitlane/events';

import type { Config } from '../config';
import { effectiveStatus, isOpen, newApprovalToken, type Estimate, type EstimateDelivery } from '../domain/estimate';
import { estimateMail } from '../domain/estimate-mail';
import { estimateSummaryOf } from '../domain/summaries';
import { deliverEstimate } from './deliver-estimate';
import type { Tenant, UseCaseDeps } from './deps';

export interface SendRequest {
  expiresAt: Date | null;
  /** the recipient; the customer's e-mail address when absent */
  to: string | null;
}

/** what the response says of the e-mail: handed to SMTP, queued for retry, or nobody to send it to */
export type Delivery = 'sent' | 'sending' | 'no_recipient';

const DAY_MS = 86_400_000;
const MAX_LINK_DAYS = 365;

/**
 * Sends (or re-sends) an estimate: a fresh single-use approval token replaces any earlier one; only its
 * hash is stored, the token goes out in the approval URL of the answer and of the e-mail to the
 * customer. The link lasts until `expiresAt` (default: ESTIMATE_LINK_TTL_DAYS), at most a year. The
 * e-mail is queued in the same write as the send (the estimate's own outbox), tried once at once, and
 * retried by the mail worker while SMTP is down.
 */
export function sendEstimate(
  deps: Pick<UseCaseDeps, 'estimates' | 'readModels' | 'mailer' | 'outbox' | 'logger'>,
  config: Pick<Config, 'ESTIMATE_LINK_TTL_DAYS' | 'PUBLIC_BASE_URL'>,
) {
  const { estimates, outbox } = deps;
  const deliver = deliverEstimate(deps);
  return async (tenant: Tenant & { garageName: string }, estimateId: string, request: SendRequest): Promise<{ estimate: Estimate; approvalUrl: string; delivery: Delivery }> => {
    const { garageId } = tenant;
    const requestedExpiry = request.expiresAt;
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
    const approvalUrl = `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/api/v1/public/estimates/${token}`;
    const customer = await deps.readModels.findCustomer(garageId, estimate.customerId);
    const to = request.to ?? customer?.email ?? null;
    const delivery: EstimateDelivery | null = to
      ? { id: randomUUID(), status: 'sending', to, queuedAt: now, attempts: 0, lastError: null, sentAt: null, messageId: null }
      : null;
    const customerName = customer ? `${customer.firstName} ${customer.lastName}` : 'customer';
    const message = estimateMail({ ...estimate, expiresAt }, { garageName: tenant.garageName, customerName, approvalUrl });
    const set = { status: 'sent' as const, sentAt: now, expiresAt, delivery };
    const event = createEvent('billing', {
      organisationId: estimate.organisationId,
      garageId,
      type: 'estimate.sent',
      data: { estimate: estimateSummaryOf(estimate, 'sent'), expiresAt: expiresAt.toISOString(), to },
    });
    const mail = delivery ? { deliveryMessage: message, deliveryLeaseUntil: null } : {};
    if (!(await estimates.changeAtRevision(estimate, { set: { ...set, ...mail, approvalTokenHash: hash }, events: [event] }))) {
      throw errors.conflict('CONCURRENT_UPDATE', `Estimate ${estimate.number} was changed meanwhile; read it again and retry.`);
    }
    outbox.nudge();
    let result: Delivery = 'no_recipient';
    if (delivery) result = (await deliver(estimate._id, delivery.id)) === 'sent' ? 'sent' : 'sending';
    const sent = (await estimates.find(garageId, estimate._id)) ?? { ...estimate, ...set, revision: estimate.revision + 1, updatedAt: now };
    return { estimate: sent, approvalUrl, delivery: result };
  };
}
