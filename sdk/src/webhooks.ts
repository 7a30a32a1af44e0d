import { Webhook } from 'standardwebhooks';

import type { webhooks } from './schema';

/** Every event a subscription can receive, as the document describes it (one type per event). */
export type WebhookEvent = {
  [K in keyof webhooks]: webhooks[K] extends { post: { requestBody?: { content: { 'application/json': infer Body } } } } ? Body : never;
}[keyof webhooks];

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

/** Checks a delivery's Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature;
 * a timestamp more than 5 minutes off is refused) and returns the event. Pass the raw body exactly as
 * received: a re-serialised JSON object does not verify. Throws if the signature is wrong. */
export function verifyWebhook(secret: string, headers: HeaderBag, body: string | Buffer): WebhookEvent {
  const flat: Record<string, string> = {};
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    headers.forEach((value, name) => (flat[name.toLowerCase()] = value));
  } else {
    for (const [name, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
      if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return new Webhook(secret).verify(body, flat) as WebhookEvent;
}
