import { z } from 'zod';

import { timestamp } from './common';

/** Events the webhooks service publishes. Owned by the webhooks service. */
export const webhooksEvents = {
  /** an endpoint was disabled automatically (failing too long, too many failed deliveries, 410 Gone) */
  'webhook.disabled': z.object({
    webhookId: z.string(),
    url: z.string(),
    reason: z.string(),
    disabledAt: timestamp,
  }),
} as const;
