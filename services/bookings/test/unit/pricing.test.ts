import { priceServiceLines, type PricedCatalogService } from '../../src/domain/pricing';

const oil: PricedCatalogService = { _id: 'svc_oil', name: 'Oil change', code: 'OIL', durationMinutes: 30, taxRate: 2000, prices: [{ vehicleType: 'car', price: 4900 }, { vehicleType: 'van', price: 6900 }] };
const mot: PricedCatalogService = { _id: 'svc_mot', name: 'MOT', durationMinutes: 45, prices: [{ vehicleType: 'car', price: 5485 }] };

describe('service lines priced for the vehicle type', () => {
  it('when services are booked for a van, then each line carries the van price, once per service, in the order asked', () => {
    expect(priceServiceLines(['svc_oil', 'svc_oil'], [oil, mot], 'van')).toEqual({
      lines: [{ serviceId: 'svc_oil', name: 'Oil change', code: 'OIL', unitPrice: 6900, quantity: 1, taxRate: 2000, durationMinutes: 30 }],
    });
    const car = priceServiceLines(['svc_mot', 'svc_oil'], [oil, mot], 'car');
    expect('lines' in car && car.lines.map((l) => [l.serviceId, l.unitPrice, l.code, l.taxRate])).toEqual([['svc_mot', 5485, null, 0], ['svc_oil', 4900, 'OIL', 2000]]);
  });

  it('when a service is unknown or has no price for the type, then the first such service is named', () => {
    expect(priceServiceLines(['svc_oil', 'svc_gone'], [oil], 'car')).toEqual({ refused: 'unknown_service', serviceId: 'svc_gone' });
    expect(priceServiceLines(['svc_mot'], [mot], 'motorcycle')).toEqual({ refused: 'no_price', serviceId: 'svc_mot' });
  });
});
