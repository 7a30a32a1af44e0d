import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { BillingContext } from '../../service';

/** vehicle.updated → billing's copy of the vehicle (and whose customer it is). */
export function subscribeVehicleUpdated(bus: EventBus, ctx: BillingContext): void {
  bus.subscribe('vehicle.updated', eventSchemas['vehicle.updated'], (event) => {
    if (!event.garageId) throw new Error('vehicle.updated without a garageId');
    return ctx.useCases.keepVehicle({ garageId: event.garageId, occurredAt: event.occurredAt }, event.data.vehicle);
  });
}
