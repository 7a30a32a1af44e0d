import { openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

import { webhookView } from './schemas';

/** What partners get back (views.ts and the use-cases' answers), as zod schemas for the OpenAPI
 * document only. */
const timestamp = z.string().openapi({ format: 'date-time', example: '2026-03-02T09:15:00.000Z' });

export const createdWebhook = openApiRegistry.register(
  'WebhookWithSecret',
  webhookView.extend({ secret: z.string().openapi({ description: 'shown only here; `whsec_…`', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) }),
);
export const rotatedSecret = openApiRegistry.register(
  'RotatedSecret',
  z.object({ secret: z.string(), previousSecretExpiresAt: timestamp.openapi({ description: 'the old secret keeps signing until then' }) }),
);
export const testEventQueued = z.object({ deliveryId: z.string(), eventId: z.string(), type: z.literal('webhook.test') });
export const recovered = z.object({ recovered: z.number().int().openapi({ description: 'failed deliveries queued again' }) });
export const redeliveryQueued = z.object({ deliveryId: z.string(), status: z.literal('pending') });

export const deliveryResource = openApiRegistry.register(
  'WebhookDelivery',
  z.object({
    id: z.string(), webhookId: z.string(), eventId: z.string(), eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']), attemptCount: z.number().int(), nextAttemptAt: timestamp.nullable(),
    failureReason: z.string().nullable(), payload: z.unknown().openapi({ description: 'the body that was signed and sent' }),
    attempts: z.array(z.object({
      at: timestamp.nullable(), status: z.number().int().nullable().openapi({ description: 'HTTP status, null when no answer' }),
      durationMs: z.number().int(), error: z.string().nullable(), errorMessage: z.string().nullable(),
      responseBody: z.string().nullable().openapi({ description: 'start of the response body' }),
    })),
    createdAt: timestamp, updatedAt: timestamp,
  }),
);
