import type { bookingStatus, vehicleType } from '@pitlane/contracts';
import type { z } from 'zod';

export type BookingStatus = z.infer<typeof bookingStatus>;
export type VehicleType = z.infer<typeof vehicleType>;
