import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { BillingContext } from '../../service';

/** vehicle.created → billing's copy of the vehicle (and whose customer it is). */
export function subscribeVehicleCreated(bus: EventBus, ctx: BillingContext): void {
  bus.subscribe('vehicle.created', eventSchemas['vehicle.created'], (event) => {
    if (!event.garageId) throw new Error('vehicle.created without a garageId');
    return ctx.useCases.keepVehicle({ garageId: event.garageId, occurredAt: event.occurredAt }, event.data.vehicle);
  });
}
