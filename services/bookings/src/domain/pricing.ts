/** A catalog service as pricing sees it: a price per vehicle type. */
export interface PricedCatalogService {
  _id: string;
  name: string;
  code?: string | null | undefined;
  durationMinutes: number;
  taxRate?: number | null | undefined;
  prices: { vehicleType?: string | null | undefined; price?: number | null | undefined }[];
}

export interface ServiceLine {
  serviceId: string;
  name: string;
  code: string | null;
  unitPrice: number;
  quantity: number;
  taxRate: number;
  durationMinutes: number;
}

export type PricingRefusal = { refused: 'unknown_service'; serviceId: string } | { refused: 'no_price'; serviceId: string };

/** The booking's service lines, priced for the vehicle's type as the catalog stands now (later
 * catalog price changes do not touch bookings already made). Each id once, in the order asked. */
export function priceServiceLines(
  serviceIds: string[],
  catalog: PricedCatalogService[],
  vehicleType: string,
): { lines: ServiceLine[] } | PricingRefusal {
  const byId = new Map(catalog.map((service) => [service._id, service]));
  const lines: ServiceLine[] = [];
  for (const id of new Set(serviceIds)) {
    const service = byId.get(id);
    if (!service) return { refused: 'unknown_service', serviceId: id };
    const price = service.prices.find((p) => p.vehicleType === vehicleType);
    if (!price || typeof price.price !== 'number') return { refused: 'no_price', serviceId: id };
    lines.push({
      serviceId: service._id,
      name: service.name,
      code: service.code ?? null,
      unitPrice: price.price,
      quantity: 1,
      taxRate: service.taxRate ?? 0,
      durationMinutes: service.durationMinutes,
    });
  }
  return { lines };
}
