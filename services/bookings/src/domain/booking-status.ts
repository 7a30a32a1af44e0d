import type { BookingStatus } from './types';

/** API.md's machine: pending → confirmed → checked_in → in_progress ⇄ waiting_parts → completed;
 * pending/confirmed/checked_in → cancelled; confirmed → no_show. in_progress → completed is read
 * from the main line (a job that never waits for parts must be completable). */
export const allowedTransitions: Record<BookingStatus, BookingStatus[]> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['checked_in', 'cancelled', 'no_show'],
  checked_in: ['in_progress', 'cancelled'],
  in_progress: ['waiting_parts', 'completed'],
  waiting_parts: ['in_progress', 'completed'],
  completed: [],
  cancelled: [],
  no_show: [],
};

/** Active = not completed/cancelled/no_show: the vehicle is locked to it (ACTIVE_JOB_EXISTS). */
export function isActive(status: BookingStatus): boolean {
  return !['completed', 'cancelled', 'no_show'].includes(status);
}

/** The statuses that give a booking's day and slot back (the reconciler and the capacity-days migration share it). */
export const capacityFreeingStatuses: readonly BookingStatus[] = ['cancelled', 'no_show'];

/** Capacity of the day and slot stays taken by completed work; cancelled and no-show free it. */
export function holdsCapacity(status: BookingStatus): boolean {
  return !capacityFreeingStatuses.includes(status);
}

/** Date and timeslot may move only before the vehicle is in the garage. */
export function canReschedule(status: BookingStatus): boolean {
  return status === 'pending' || status === 'confirmed';
}

export function canDelete(status: BookingStatus): boolean {
  return status === 'pending' || status === 'confirmed';
}

export const stageStatuses = ['draft', 'open', 'in_progress', 'completed', 'invoiced', 'closed'] as const;
export type StageStatus = (typeof stageStatuses)[number];

/** Stages move one step forward: draft → open → in_progress → completed → invoiced → closed. */
export function nextStageStatus(status: StageStatus): StageStatus | null {
  const index = stageStatuses.indexOf(status);
  return stageStatuses[index + 1] ?? null;
}
