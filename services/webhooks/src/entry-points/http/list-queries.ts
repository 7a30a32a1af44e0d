import { listQuery } from '@pitlane/core';

import { deliveryQuerySchema, webhookListQuery } from './schemas';

/** Every list's query string in one place: the routes parse with these and openapi.ts shows them,
 * so the document names exactly the parameters a list accepts (any other is a 400). */
export const lists = {
  webhooks: listQuery({ sortable: ['createdAt', 'updatedAt', 'url', 'status'], defaultSort: '-createdAt', filters: webhookListQuery.shape }),
  /** dateFrom/dateTo are whole days in the garage's time zone (the routes convert them) */
  deliveries: listQuery({ sortable: ['createdAt'], defaultSort: '-createdAt', dates: 'own', timestamps: false, filters: deliveryQuerySchema.shape }),
};
