import { Schema, type Connection } from 'mongoose';

/** Local read model of the inventory service's items (fed by inventory.item_created and
 * inventory.adjusted), so a part line is refused or priced at once without calling inventory. */
const inventoryItemSchema = new Schema(
  {
    _id: { type: String, required: true }, // garageId|itemId
    garageId: { type: String, required: true },
    itemId: { type: String, required: true },
    sku: { type: String, required: true },
    name: { type: String, required: true },
    unitPrice: { type: Number, required: true },
    currency: { type: String, required: true },
    quantityAvailable: { type: Number, required: true },
    /** basis points from the item, null when inventory gave none (the garage's default parts rate applies) */
    taxRate: { type: Number, default: null },
    /** occurredAt of the event the snapshot came from: an older event never overwrites a newer one */
    sourceOccurredAt: { type: String, required: true },
  },
  { versionKey: false },
);

export interface InventoryItemDoc {
  _id: string;
  garageId: string;
  itemId: string;
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  quantityAvailable: number;
  taxRate: number | null;
  sourceOccurredAt: string;
}

export function registerInventoryItemModel(connection: Connection) {
  return connection.model<InventoryItemDoc>('InventoryItem', inventoryItemSchema, 'inventory_items');
}
