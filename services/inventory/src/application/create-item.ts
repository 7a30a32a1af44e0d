import { randomUUID } from 'node:crypto';

import type { EventEnvelope } from '@pitlane/events';

import { lowStockTransition, type Actor, type Movement } from '../domain/stock';
import type { ItemDocument } from '../data-access/item.model';
import { barcodeFields, skuKey, type ItemRepository, type Scope } from '../data-access/item.repository';
import { changeEvents, inventoryEvent, itemSnapshot } from './item-plans';
import type { ItemWriter } from './item-writer';
import type { LedgerCopier } from './ledger-copier';

export interface NewItem {
  sku: string;
  name: string;
  unitPrice: number;
  category?: string | null;
  barcode?: string | null;
  unit?: string;
  quantityOnHand?: number;
  reorderLevel?: number;
  unitCost?: number;
  location?: string | null;
  /** basis points; null or absent: the garage's default parts rate */
  taxRate?: number | null;
}

/** A new item: the opening quantity is its first ledger movement (opening_balance), and an item
 * created at or below its reorder level is announced as low stock at once — all in the one insert. */
export function createItemUseCase(deps: { items: ItemRepository; writer: Pick<ItemWriter, 'nudge'>; ledger: Pick<LedgerCopier, 'schedule'> }) {
  return async function createItem(scope: Scope, input: NewItem, actor: Actor): Promise<ItemDocument> {
    const id = randomUUID();
    const quantity = input.quantityOnHand ?? 0;
    const reorderLevel = input.reorderLevel ?? 0;
    const unitCost = input.unitCost ?? 0;
    const low = lowStockTransition(false, quantity, reorderLevel);
    const movement: Movement | null =
      quantity > 0
        ? { id: randomUUID(), seq: 1, reason: 'opening_balance', quantity, reservedQuantity: 0, quantityOnHand: quantity, quantityReserved: 0, unitCost, actor, note: null, reference: null, createdAt: new Date() }
        : null;
    const doc = {
      _id: id,
      garageId: scope.garageId,
      organisationId: scope.organisationId,
      sku: input.sku,
      skuKey: skuKey(scope.garageId, input.sku),
      name: input.name,
      category: input.category ?? null,
      unit: input.unit ?? 'each',
      location: input.location ?? null,
      ...barcodeFields(scope.garageId, input.barcode).set,
      currency: scope.currency,
      unitPrice: input.unitPrice,
      unitCost,
      taxRate: input.taxRate ?? null,
      reorderLevel,
      quantityOnHand: quantity,
      quantityReserved: 0,
      quantityAvailable: quantity,
      lowStockAlerted: low.lowStockAlerted,
      version: 1,
      movementSeq: movement ? 1 : 0,
      pendingMovements: movement ? [movement] : [],
    } as unknown as ItemDocument;
    const events: EventEnvelope[] = [inventoryEvent('inventory.item_created', doc, { item: itemSnapshot(doc) })];
    if (low.fire) events.push(...changeEvents(doc, null, true).slice(1));
    await deps.items.insert(doc, events);
    deps.writer.nudge();
    if (movement) deps.ledger.schedule(scope.garageId, id);
    return deps.items.get(scope.garageId, id);
  };
}
