import { isMileageDecrease, takesMileage } from '../../src/domain/mileage';

describe('odometer readings', () => {
  it('when a reading is below the last one, then it is a decrease unless flagged as a correction', () => {
    expect(isMileageDecrease(10_000, 9_999, false)).toBe(true);
    expect(isMileageDecrease(10_000, 9_999, true)).toBe(false);
    expect(isMileageDecrease(10_000, 10_000, false)).toBe(false);
    expect(isMileageDecrease(null, 0, false)).toBe(false);
  });

  it('when a status is reached, then only check-in and completion take a reading', () => {
    expect(['pending', 'confirmed', 'checked_in', 'in_progress', 'waiting_parts', 'completed', 'cancelled'].filter(takesMileage)).toEqual(['checked_in', 'completed']);
  });
});
