import { openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

import type { Config } from '../../config';
import { ipLiteralOf, isForbiddenAddress } from '../../domain/address-policy';
import { unknownEventTypes } from '../../domain/event-filter';

/** http(s) only, https when required, no credentials in the URL, and no private literal IP
 * (names are checked again at every delivery, since DNS answers change). */
function urlSchema(config: Config) {
  return z
    .string()
    .trim()
    .max(2048)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        return ctx.addIssue({ code: 'custom', message: 'must use http or https' });
      }
      if (config.WEBHOOK_REQUIRE_HTTPS && url.protocol !== 'https:') {
        return ctx.addIssue({ code: 'custom', message: 'must use https' });
      }
      if (url.username || url.password) {
        return ctx.addIssue({ code: 'custom', message: 'must not contain credentials' });
      }
      const literal = ipLiteralOf(url.hostname);
      if (literal && !config.WEBHOOK_ALLOW_PRIVATE_TARGETS && isForbiddenAddress(literal)) {
        return ctx.addIssue({ code: 'custom', message: `must not point at a private or reserved address (${literal})` });
      }
    });
}

const eventsSchema = z
  .array(z.string().min(1).max(100))
  .min(1, 'must list at least one event type or "*"')
  .max(100)
  .superRefine((events, ctx) => {
    for (const type of unknownEventTypes(events)) {
      ctx.addIssue({ code: 'custom', path: [events.indexOf(type)], message: `unknown event type "${type}"` });
    }
  })
  .transform((events) => [...new Set(events)]);

const description = z.string().trim().max(500).nullable();
/** deliveries per second; null = no limit */
const rateLimit = z.number().int().min(1).max(10_000).nullable();

export function webhookSchemas(config: Config) {
  const create = z.strictObject({
    url: urlSchema(config),
    events: eventsSchema,
    description: description.optional(),
    rateLimit: rateLimit.optional(),
  });
  const update = z
    .strictObject({
      url: urlSchema(config).optional(),
      events: eventsSchema.optional(),
      description: description.optional(),
      rateLimit: rateLimit.optional(),
      status: z.enum(['active', 'disabled']).optional(),
    })
    .refine((body) => Object.keys(body).length > 0, 'must change at least one field');
  return { create, update };
}

export const recoverSchema = z.strictObject({
  since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp' }),
});

export const webhookListQuery = z.object({ status: z.enum(['active', 'disabled']).optional() });

export const deliveryQuerySchema = z.object({
  status: z.enum(['pending', 'succeeded', 'failed']).optional(),
  eventType: z.string().max(100).optional(),
});

export const webhookView = openApiRegistry.register(
  'Webhook',
  z.object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    status: z.enum(['active', 'disabled']),
    disabledReason: z.string().nullable(),
    disabledAt: z.string().nullable(),
    rateLimit: z.number().nullable(),
    previousSecretExpiresAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
