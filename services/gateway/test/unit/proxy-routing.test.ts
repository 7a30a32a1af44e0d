import { publicRoutes, resourceRoutes, templatePath } from '../../src/entry-points/http/proxy';

describe('proxy routing', () => {
  it('when a path carries ids, then the metric and audit label has :id in their place and keeps the words', () => {
    expect(templatePath('/bookings/6650a1b2c3d4e5f6a7b8c9d0/status')).toBe('/bookings/:id/status');
    expect(templatePath('/bookings')).toBe('/bookings');
    expect(templatePath('/inventory/part_42/adjustments/7')).toBe('/inventory/:id/adjustments/:id');
    // the first segment is the resource: never replaced, even with a digit in it
    expect(templatePath('/v2things/abc')).toBe('/v2things/abc');
  });

  it('when a resource is named, then it goes to the service that owns it', () => {
    expect(resourceRoutes.bookings).toBe('bookings');
    expect(resourceRoutes.clock).toBe('bookings');
    expect(resourceRoutes['purchase-orders']).toBe('inventory');
    expect(resourceRoutes.invoices).toBe('billing');
    expect(resourceRoutes.webhooks).toBe('webhooks');
    expect(publicRoutes).toEqual({ estimates: 'billing' });
  });
});
