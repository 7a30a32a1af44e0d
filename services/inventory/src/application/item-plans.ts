import { randomUUID } from 'node:crypto';

import type { EventData } from '@pitlane/contracts';
import { createEvent, type EventEnvelope } from '@pitlane/events';

import { applyStockChange, lowStockTransition, type Actor, type Movement, type StockChange } from '../domain/stock';
import type { ItemDocument } from '../data-access/item.model';

/** What one write does to an item, computed from the item as read. */
export interface ItemPlan {
  set: Record<string, unknown>;
  unset?: Record<string, ''>;
  push?: Record<string, unknown>;
  movement?: Movement;
  events: EventEnvelope[];
}

export interface MovementMeta {
  actor: Actor;
  note?: string | null;
  reference?: Record<string, string> | null;
  /** deterministic id when the caller needs idempotency (e.g. a receipt line) */
  movementId?: string;
}

/** Quantities, cost, low-stock flag, the ledger movement and the events of one stock change —
 * all derived from the item as read, to be written in one compare-and-set. Throws InsufficientStock. */
export function planStockChange(
  item: ItemDocument,
  change: StockChange,
  meta: MovementMeta,
  extra: { set?: Record<string, unknown>; push?: Record<string, unknown> } = {},
): ItemPlan {
  const applied = applyStockChange(item, change);
  const quantityOnHand = item.quantityOnHand + applied.onHandDelta;
  const quantityReserved = item.quantityReserved + applied.reservedDelta;
  const quantityAvailable = quantityOnHand - quantityReserved;
  const low = lowStockTransition(item.lowStockAlerted, quantityAvailable, item.reorderLevel);
  const movement: Movement = {
    id: meta.movementId ?? randomUUID(),
    seq: item.movementSeq + 1,
    reason: applied.reason,
    quantity: applied.onHandDelta,
    reservedQuantity: applied.reservedDelta,
    quantityOnHand,
    quantityReserved,
    unitCost: applied.movementCost,
    actor: meta.actor,
    note: meta.note ?? null,
    reference: meta.reference ?? null,
    createdAt: new Date(),
  };
  const set = {
    ...extra.set,
    quantityOnHand,
    quantityReserved,
    quantityAvailable,
    unitCost: applied.unitCost,
    lowStockAlerted: low.lowStockAlerted,
    movementSeq: movement.seq,
  };
  const after = { ...item, ...set } as ItemDocument;
  return { set, push: extra.push, movement, events: changeEvents(after, movement, low.fire) };
}

/** A change of descriptive fields or of price / reorder level (PATCH): no movement, but the
 * reorder level can move the item across the low-stock line. */
export function planEdit(item: ItemDocument, set: Record<string, unknown>): ItemPlan {
  const after = { ...item, ...set } as ItemDocument;
  const low = lowStockTransition(item.lowStockAlerted, after.quantityOnHand - after.quantityReserved, after.reorderLevel);
  const fullSet = { ...set, lowStockAlerted: low.lowStockAlerted };
  const finalItem = { ...after, lowStockAlerted: low.lowStockAlerted } as ItemDocument;
  return { set: fullSet, events: changeEvents(finalItem, null, low.fire) };
}

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
    taxRate: item.taxRate ?? null,
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
