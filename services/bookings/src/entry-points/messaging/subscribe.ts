import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { Models } from '../../data-access/models';
import { inventoryAdjustedHandler, inventoryItemCreatedHandler } from './inventory-item.handler';
import { invoicePaidHandler } from './invoice.paid.handler';
import { inventoryReservationFailedHandler, inventoryReservedHandler } from './inventory-reservation.handler';

/** The events this service consumes. */
export function subscribe(bus: EventBus, models: Models): void {
  bus.subscribe('inventory.item_created', eventSchemas['inventory.item_created'], inventoryItemCreatedHandler(models));
  bus.subscribe('inventory.adjusted', eventSchemas['inventory.adjusted'], inventoryAdjustedHandler(models));
  bus.subscribe('inventory.reserved', eventSchemas['inventory.reserved'], inventoryReservedHandler(models));
  bus.subscribe('inventory.reservation_failed', eventSchemas['inventory.reservation_failed'], inventoryReservationFailedHandler(models));
  bus.subscribe('invoice.paid', eventSchemas['invoice.paid'], invoicePaidHandler(models));
}
