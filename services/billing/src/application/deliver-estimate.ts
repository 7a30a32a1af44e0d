import type { UseCaseDeps } from './deps';

/** How long one sender holds a queued e-mail (longer than the SMTP timeouts of data-access/mailer). */
const LEASE_MS = 30_000;

/**
 * Hands the queued e-mail of one send of an estimate to SMTP: claimed first (so the request and the
 * worker never both send it), then marked sent with the server's Message-ID, or left queued with the
 * error for the next worker pass. At least once: a crash after the server took it and before the mark
 * sends it again once the lease ends.
 */
export function deliverEstimate({ estimates, mailer, logger }: Pick<UseCaseDeps, 'estimates' | 'mailer' | 'logger'>) {
  return async (estimateId: string, deliveryId: string): Promise<'sent' | 'sending' | 'not_queued'> => {
    const message = await estimates.claimDelivery(estimateId, deliveryId, LEASE_MS);
    if (!message) return 'not_queued';
    try {
      const { messageId } = await mailer.send(message);
      await estimates.markDelivered(estimateId, deliveryId, { to: message.to, messageId, sentAt: new Date() });
      logger.info({ estimateId, messageId }, 'estimate e-mailed');
      return 'sent';
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ estimateId, err: reason }, 'estimate e-mail not delivered, queued for retry');
      await estimates.markAttemptFailed(estimateId, deliveryId, reason);
      return 'sending';
    }
  };
}

/** The worker's pass: every queued e-mail no sender holds gets one more try. */
export function deliverPendingEstimates(deps: Pick<UseCaseDeps, 'estimates' | 'mailer' | 'logger'>) {
  const deliver = deliverEstimate(deps);
  return async (): Promise<number> => {
    let sent = 0;
    for (const { estimateId, deliveryId } of await deps.estimates.pendingDeliveries(50)) {
      if ((await deliver(estimateId, deliveryId)) === 'sent') sent++;
    }
    return sent;
  };
}
