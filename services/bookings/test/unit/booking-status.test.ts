import { allowedTransitions, canDelete, canReschedule, holdsCapacity, isActive, nextStageStatus } from '../../src/domain/booking-status';
import type { BookingStatus } from '../../src/domain/types';

const all: BookingStatus[] = ['pending', 'confirmed', 'checked_in', 'in_progress', 'waiting_parts', 'completed', 'cancelled', 'no_show'];

describe('booking status machine (API.md)', () => {
  it('when a status moves, then only the transitions of the main line, cancel and no-show are allowed', () => {
    expect(allowedTransitions.pending).toEqual(['confirmed', 'cancelled']);
    expect(allowedTransitions.confirmed).toEqual(['checked_in', 'cancelled', 'no_show']);
    expect(allowedTransitions.checked_in).toEqual(['in_progress', 'cancelled']);
    expect(allowedTransitions.in_progress).toEqual(['waiting_parts', 'completed']);
    expect(allowedTransitions.waiting_parts).toEqual(['in_progress', 'completed']);
    for (const end of ['completed', 'cancelled', 'no_show'] as const) expect(allowedTransitions[end]).toEqual([]);
  });

  it('when asked what a status holds, then finished bookings free the vehicle and only cancel/no-show free capacity', () => {
    expect(all.filter(isActive)).toEqual(['pending', 'confirmed', 'checked_in', 'in_progress', 'waiting_parts']);
    expect(all.filter((s) => !holdsCapacity(s))).toEqual(['cancelled', 'no_show']);
  });

  it('when a booking is rescheduled or deleted, then only pending and confirmed ones may be', () => {
    expect(all.filter(canReschedule)).toEqual(['pending', 'confirmed']);
    expect(all.filter(canDelete)).toEqual(['pending', 'confirmed']);
  });

  it('when a stage moves, then one step forward only, and closed is the end', () => {
    expect(nextStageStatus('draft')).toBe('open');
    expect(nextStageStatus('completed')).toBe('invoiced');
    expect(nextStageStatus('closed')).toBeNull();
  });
});
