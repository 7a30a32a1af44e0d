import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { BillingContext } from '../../service';

/** vehicle.deleted → billing's copy of the vehicle becomes a tombstone: no new estimate for it. */
export function subscribeVehicleDeleted(bus: EventBus, ctx: BillingContext): void {
  bus.subscribe('vehicle.deleted', eventSchemas['vehicle.deleted'], (event) => {
    if (!event.garageId) throw new Error('vehicle.deleted without a garageId');
    return ctx.useCases.keepVehicle({ garageId: event.garageId, occurredAt: event.occurredAt }, event.data.vehicle, true);
  });
}
