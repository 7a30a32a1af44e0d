import { parseTimeOfDay } from '../../src/domain/time-of-day';

describe('a timeslot as partners write it', () => {
  it.each([
    ['09:00', '09:00'],
    ['9:00', '09:00'],
    ['23:59', '23:59'],
    ['9am', '09:00'],
    ['9 AM', '09:00'],
    ['9:30 pm', '21:30'],
    ['9:30p.m.', '21:30'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['12:15 PM', '12:15'],
    [' 10:00 ', '10:00'],
  ])('when %j is given, then it is %s', (text, expected) => {
    expect(parseTimeOfDay(text)).toBe(expected);
  });

  it.each(['', 'noon', '9', '24:00', '13pm', '0am', '9:60', '9.30', '09:00:00', '9:5', 'am'])('when %j is given, then it is not a time', (text) => {
    expect(parseTimeOfDay(text)).toBeNull();
  });
});
