import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { BookingsContext } from '../../service';
import { inventoryAdjustedHandler } from './inventory.adjusted.handler';
import { inventoryItemCreatedHandler } from './inventory.item_created.handler';
import { inventoryReservationFailedHandler } from './inventory.reservation_failed.handler';
import { inventoryReservedHandler } from './inventory.reserved.handler';
import { invoiceCreatedHandler } from './invoice.created.handler';
import { invoicePaidHandler } from './invoice.paid.handler';
import { invoiceVoidedHandler } from './invoice.voided.handler';

/** The events this service consumes, one handler file each. */
export function subscribe(bus: EventBus, ctx: BookingsContext): void {
  bus.subscribe('inventory.item_created', eventSchemas['inventory.item_created'], inventoryItemCreatedHandler(ctx));
  bus.subscribe('inventory.adjusted', eventSchemas['inventory.adjusted'], inventoryAdjustedHandler(ctx));
  bus.subscribe('inventory.reserved', eventSchemas['inventory.reserved'], inventoryReservedHandler(ctx));
  bus.subscribe('inventory.reservation_failed', eventSchemas['inventory.reservation_failed'], inventoryReservationFailedHandler(ctx));
  bus.subscribe('invoice.created', eventSchemas['invoice.created'], invoiceCreatedHandler(ctx));
  bus.subscribe('invoice.paid', eventSchemas['invoice.paid'], invoicePaidHandler(ctx));
  bus.subscribe('invoice.voided', eventSchemas['invoice.voided'], invoiceVoidedHandler(ctx));
}
