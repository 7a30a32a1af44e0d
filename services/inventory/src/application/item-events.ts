import type { EventData } from '@pitlane/contracts';
import { createEvent, type EventEnvelope } from '@pitlane/events';

import type { Movement } from '../domain/stock';
import type { ItemDocument } from '../data-access/item.model';

type Snapshot = EventData<'inventory.item_created'>['item'];

/** What the bookings read model needs of an item (libs/contracts/src/inventory.ts). */
export function itemSnapshot(item: ItemDocument): Snapshot {
  return {
    id: item._id,
    sku: item.sku,
    name: item.name,
    unitPrice: item.unitPrice,
    currency: item.currency,
    quantityOnHand: item.quantityOnHand,
    quantityReserved: item.quantityReserved,
    quantityAvailable: item.quantityOnHand - item.quantityReserved,
    reorderLevel: item.reorderLevel,
  };
}

export function inventoryEvent<T extends 'inventory.item_created' | 'inventory.adjusted' | 'inventory.low_stock' | 'inventory.reserved' | 'inventory.reservation_failed' | 'purchase_order.received'>(
  type: T,
  scope: { organisationId: string; garageId: string },
  data: EventData<T>,
): EventEnvelope<EventData<T>> {
  return createEvent('inventory', { type, data, organisationId: scope.organisationId, garageId: scope.garageId });
}

/** inventory.adjusted for every change of quantities or price, plus inventory.low_stock on a downward crossing. */
export function changeEvents(after: ItemDocument, movement: Movement | null, lowStockFired: boolean): EventEnvelope[] {
  const events: EventEnvelope[] = [
    inventoryEvent('inventory.adjusted', after, {
      item: itemSnapshot(after),
      movement: movement ? { id: movement.id, reason: movement.reason, quantity: movement.quantity } : null,
    }),
  ];
  if (lowStockFired) events.push(inventoryEvent('inventory.low_stock', after, { item: itemSnapshot(after) }));
  return events;
}
