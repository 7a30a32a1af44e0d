import type { bookingStatus, vehicleType } from '@pitlane/contracts';
import type { z } from 'zod';

export type BookingStatus = z.infer<typeof bookingStatus>;
export type VehicleType = z.infer<typeof vehicleType>;

/** Whose data a request or event is about (from the gateway's token or the event envelope). */
export interface Tenant {
  organisationId: string;
  garageId: string;
}

/** A tenant with the garage facts the token carries (currency of its prices, its time zone). */
export interface GarageTenant extends Tenant {
  currency: string;
  timezone: string;
}
