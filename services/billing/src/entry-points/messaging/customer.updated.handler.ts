import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { BillingContext } from '../../service';

/** customer.updated → billing's copy of the customer, so estimates can check it without calling bookings. */
export function subscribeCustomerUpdated(bus: EventBus, ctx: BillingContext): void {
  bus.subscribe('customer.updated', eventSchemas['customer.updated'], (event) => {
    if (!event.garageId) throw new Error('customer.updated without a garageId');
    return ctx.useCases.keepCustomer({ garageId: event.garageId, occurredAt: event.occurredAt }, event.data.customer);
  });
}
