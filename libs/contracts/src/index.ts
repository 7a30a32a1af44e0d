import type { z } from 'zod';

import { billingEvents } from './billing';
import { bookingsEvents } from './bookings';
import { inventoryEvents } from './inventory';
import { webhooksEvents } from './webhooks';

export * from './billing';
export * from './bookings';
export * from './common';
export * from './inventory';
export * from './webhooks';

/** Every domain event type and the schema of its `data` (API.md "Events"). */
export const eventSchemas = { ...bookingsEvents, ...inventoryEvents, ...billingEvents, ...webhooksEvents } as const;
export type EventType = keyof typeof eventSchemas;
export type EventData<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;
export const eventTypes = Object.keys(eventSchemas) as EventType[];
