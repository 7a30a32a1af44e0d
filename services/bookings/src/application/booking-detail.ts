import type { BookingDoc } from '../data-access/booking.model';
import type { CustomerDoc } from '../data-access/customer.model';
import type { VehicleDoc } from '../data-access/vehicle.model';
import type { UseCaseDeps } from './deps';

export interface BookingDetail {
  booking: BookingDoc;
  /** null only if the document is gone (customers are never deleted; vehicles are soft-deleted and still found) */
  customer: CustomerDoc | null;
  vehicle: VehicleDoc | null;
}

/** GET /bookings/{bid}: the booking with its customer and vehicle as they are now, so a partner can show
 * "Ada Driver — Ford Transit AB12 CDE" without two more calls. */
export class BookingDetails {
  constructor(private readonly deps: UseCaseDeps) {}

  async get(garageId: string, bookingId: string): Promise<BookingDetail> {
    const { bookings, customers, vehicles } = this.deps.repos;
    const booking = await bookings.require(garageId, bookingId);
    const [customer, vehicle] = await Promise.all([customers.find(garageId, booking.customerId), vehicles.find(garageId, booking.vehicleId)]);
    return { booking, customer, vehicle };
  }
}
