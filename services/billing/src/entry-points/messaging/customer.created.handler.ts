import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { BillingContext } from '../../service';

/** customer.created → billing's copy of the customer, so estimates can check it without calling bookings. */
export function subscribeCustomerCreated(bus: EventBus, ctx: BillingContext): void {
  bus.subscribe('customer.created', eventSchemas['customer.created'], (event) => {
    if (!event.garageId) throw new Error('customer.created without a garageId');
    return ctx.useCases.keepCustomer({ garageId: event.garageId, occurredAt: event.occurredAt }, event.data.customer);
  });
}
