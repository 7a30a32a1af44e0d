/** Odometer readings are taken when the vehicle arrives (checked_in) and when the job is done (completed). */
export const MILEAGE_READ_AT = ['checked_in', 'completed'] as const;

export function takesMileage(to: string): boolean {
  return (MILEAGE_READ_AT as readonly string[]).includes(to);
}

/** An odometer only goes up: a reading below the vehicle's last one is refused unless the garage says
 * it corrects a wrong earlier reading (or the odometer was replaced). */
export function isMileageDecrease(last: number | null | undefined, reading: number, correction: boolean): boolean {
  return !correction && last !== null && last !== undefined && reading < last;
}
