/** Settings a garage keeps in the bookings service. */
export interface GarageSettings {
  /** basis points (2000 = 20 %) for parts whose inventory item has no tax rate of its own */
  defaultPartsTaxRate: number;
}

/** Until a garage PUTs its settings: parts untaxed unless the item says otherwise. */
export const defaultSettings: GarageSettings = { defaultPartsTaxRate: 0 };

/** A part's tax rate: the inventory item's when it has one, else the garage's default parts rate. */
export function partTaxRate(itemTaxRate: number | null | undefined, settings: GarageSettings): number {
  return itemTaxRate ?? settings.defaultPartsTaxRate;
}
