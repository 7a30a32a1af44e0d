import { randomUUID } from 'node:crypto';

import type { EventData } from '@pitlane/contracts';

/** Small typed builders of what billing consumes and of garages (what the gateway's token says). */
export interface TestGarage {
  organisationId: string;
  garageId: string;
  name: string;
  timezone: string;
  currency: string;
}

export function newGarage(overrides: Partial<TestGarage> = {}): TestGarage {
  const id = randomUUID().slice(0, 8);
  return { organisationId: `org-${id}`, garageId: `gar-${id}`, name: `Garage ${id}`, timezone: 'Europe/Berlin', currency: 'EUR', ...overrides };
}

export type CustomerData = EventData<'customer.created'>['customer'];
export type VehicleData = EventData<'vehicle.created'>['vehicle'];
export type BookingCompletedData = EventData<'booking.completed'>;

export function newCustomer(overrides: Partial<CustomerData> = {}): CustomerData {
  return { id: `cus-${randomUUID()}`, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: null, ...overrides };
}

export function newVehicle(customerId: string, overrides: Partial<VehicleData> = {}): VehicleData {
  return {
    id: `veh-${randomUUID()}`,
    customerId,
    vin: 'WVWZZZ1JZXW000001',
    registration: 'B-PL 2026',
    make: 'Volkswagen',
    model: 'Golf',
    year: 2019,
    vehicleType: 'car',
    ...overrides,
  };
}

/** A completed booking worth 7196 + 5950 = 13 146 minor units: 3 × 19.99 at 20 % (59.97 + 11.99) and
 * 2 × 25.00 at 19 % (50.00 + 9.50); bookings carry no discounts. */
export function bookingCompleted(overrides: Partial<BookingCompletedData> = {}): BookingCompletedData {
  const customer = overrides.customer ?? newCustomer();
  const vehicle = overrides.vehicle ?? newVehicle(customer.id);
  const bookingId = `bkg-${randomUUID()}`;
  return {
    booking: {
      bookingId,
      number: `BK-${bookingId.slice(4, 10)}`,
      customerId: customer.id,
      vehicleId: vehicle.id,
      date: '2026-11-20',
      timeslot: '09:00',
      status: 'completed',
      technicianId: null,
    },
    completedAt: '2026-11-20T15:30:00.000Z',
    currency: 'EUR',
    customer,
    vehicle,
    technician: { id: 'tech-1', name: 'Grace Hopper' },
    services: [{ serviceId: 'svc-oil', name: 'Oil change', code: 'OIL', unitPrice: 1999, quantity: 3, taxRate: 2000 }],
    parts: [
      { lineId: 'line-1', itemId: 'itm-1', sku: 'FLT-01', name: 'Oil filter', unitPrice: 2500, quantity: 2, taxRate: 1900, status: 'reserved' },
    ],
    ...overrides,
  };
}

export const BOOKING_TOTAL = 13146;

/** Estimate lines: 1.5 × 83.33 = 125.00 + 20 % (25.00) = 150.00; 2 × 25.00 − 7.50 = 42.50 + 19 % (8.075 → 8.08) = 50.58 */
export const estimateLines = [
  { kind: 'labor', description: 'Brake inspection', quantity: 1.5, unitPrice: 8333, taxRate: 2000 },
  { kind: 'part', description: 'Brake pads', code: 'BRK-01', quantity: 2, unitPrice: 2500, taxRate: 1900, discount: 750 },
];
export const ESTIMATE_TOTAL = 15000 + 5058;
