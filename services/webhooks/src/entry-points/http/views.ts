import type { DeliveryDoc, WebhookDoc } from '../../data-access/models';

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** A subscription as partners see it: never its secrets. */
export function toWebhookView(doc: WebhookDoc) {
  return {
    id: doc._id,
    url: doc.url,
    events: doc.events,
    description: doc.description ?? null,
    status: doc.status,
    disabledReason: doc.disabledReason ?? null,
    disabledAt: iso(doc.disabledAt),
    rateLimit: doc.rateLimit ?? null,
    previousSecretExpiresAt:
      doc.previousSecretExpiresAt && doc.previousSecretExpiresAt > new Date() ? iso(doc.previousSecretExpiresAt) : null,
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
  };
}

export function toDeliveryView(doc: DeliveryDoc) {
  return {
    id: doc._id,
    webhookId: doc.webhookId,
    eventId: doc.eventId,
    eventType: doc.eventType,
    status: doc.status,
    attemptCount: doc.attemptCount,
    nextAttemptAt: doc.status === 'pending' ? iso(doc.nextAttemptAt) : null,
    failureReason: doc.failureReason ?? null,
    payload: JSON.parse(doc.body) as unknown,
    attempts: (doc.attempts ?? []).map((attempt) => ({
      at: iso(attempt.at),
      status: attempt.status ?? null,
      durationMs: attempt.durationMs,
      error: attempt.error ?? null,
      errorMessage: attempt.errorMessage ?? null,
      responseBody: attempt.responseBody ?? null,
    })),
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
  };
}
