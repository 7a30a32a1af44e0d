import type { Connection, Model } from 'mongoose';

import { registerDeliveryModel, type DeliveryDoc } from './delivery.model';
import { registerWebhookModel, type WebhookDoc } from './webhook.model';

export type { AttemptDoc, DeliveryDoc } from './delivery.model';
export type { WebhookDoc } from './webhook.model';

export interface Models {
  Webhook: Model<WebhookDoc>;
  Delivery: Model<DeliveryDoc>;
}

export function registerModels(connection: Connection): Models {
  return { Webhook: registerWebhookModel(connection), Delivery: registerDeliveryModel(connection) };
}
