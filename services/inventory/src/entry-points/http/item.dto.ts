import type { Movement } from '../../domain/stock';
import type { ItemDocument } from '../../data-access/item.model';

/** An item as partners see it. */
export function toItemDto(item: ItemDocument) {
  const quantityAvailable = item.quantityOnHand - item.quantityReserved;
  return {
    id: item._id,
    sku: item.sku,
    name: item.name,
    category: item.category ?? null,
    unit: item.unit,
    location: item.location ?? null,
    barcode: item.barcode ?? null,
    barcodeFormat: item.barcodeFormat ?? null,
    quantityOnHand: item.quantityOnHand,
    quantityReserved: item.quantityReserved,
    quantityAvailable,
    reorderLevel: item.reorderLevel,
    lowStock: quantityAvailable <= item.reorderLevel,
    unitCost: item.unitCost,
    unitPrice: item.unitPrice,
    taxRate: item.taxRate ?? null,
    currency: item.currency,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

export function toMovementDto(movement: Record<string, unknown>) {
  const { _id, garageId: _garageId, ...rest } = movement;
  return { id: _id, ...rest };
}

export function movementDto(itemId: string, movement: Movement) {
  const { id, ...rest } = movement;
  return { id, itemId, ...rest };
}
