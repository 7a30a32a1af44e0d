import { z } from 'zod';

/** Integer amount in the currency's minor unit (cents, fils, yen). */
export const money = z.number().int();
export const currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code');
/** YYYY-MM-DD in the garage's time zone */
export const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const timestamp = z.iso.datetime();
export const vehicleType = z.enum(['car', 'suv', 'van', 'truck', 'motorcycle']);
