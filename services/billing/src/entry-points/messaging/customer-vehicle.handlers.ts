import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { Models } from '../../data-access/models';
import { upsertCustomer, upsertVehicle } from '../../data-access/read-models';

/** customer.created/updated and vehicle.created/updated/deleted keep billing's read models current, so
 * estimates can check a customer and its vehicle without calling the bookings service. */
export function subscribeReadModels(bus: EventBus, models: Models): void {
  for (const type of ['customer.created', 'customer.updated'] as const) {
    bus.subscribe(type, eventSchemas[type], async (event) => {
      if (!event.garageId) throw new Error(`${type} without a garageId`);
      return upsertCustomer(models.Customer, { garageId: event.garageId, occurredAt: event.occurredAt }, event.data.customer);
    });
  }
  for (const type of ['vehicle.created', 'vehicle.updated', 'vehicle.deleted'] as const) {
    bus.subscribe(type, eventSchemas[type], async (event) => {
      if (!event.garageId) throw new Error(`${type} without a garageId`);
      const source = { garageId: event.garageId, occurredAt: event.occurredAt };
      return upsertVehicle(models.Vehicle, source, event.data.vehicle, type === 'vehicle.deleted');
    });
  }
}
