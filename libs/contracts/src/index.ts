import type { z } from 'zod';

import { billingEvents } from './billing';
import { bookingsEvents } from './bookings';
import { inventoryEvents } from './inventory';

export * from './billing';
export * from './bookings';
export * from './common';
export * from './inventory';

/** Every domain event type and the schema of its `data` (API.md "Events"). */
export const eventSchemas = { ...bookingsEvents, ...inventoryEvents, ...billingEvents } as const;
export type EventType = keyof typeof eventSchemas;
export type EventData<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;
export const eventTypes = Object.keys(eventSchemas) as EventType[];
