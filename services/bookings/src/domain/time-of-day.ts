import { TIME } from '@pitlane/core';

/** `9am`, `9 AM`, `9:30pm`, `12 am` (12-hour clock: hour 1–12, minutes optional). */
const TWELVE_HOUR = /^(1[0-2]|0?[1-9])(?::([0-5]\d))?\s*([ap])\.?m\.?$/i;
/** `9:00` as well as `09:00` (24-hour clock). */
const TWENTY_FOUR_HOUR = /^(\d):([0-5]\d)$/;

/**
 * A time of day as partners write it, normalised to `HH:MM` (24-hour), or null when the text is not a
 * time at all. Whether the garage has a slot at that time is a separate question (INVALID_TIMESLOT).
 */
export function parseTimeOfDay(text: string): string | null {
  const trimmed = text.trim();
  if (TIME.test(trimmed)) return trimmed;
  const short = TWENTY_FOUR_HOUR.exec(trimmed);
  if (short) return `0${short[1]}:${short[2]}`;
  const twelve = TWELVE_HOUR.exec(trimmed);
  if (!twelve) return null;
  // 12am is midnight, 12pm is noon
  const hour = (Number(twelve[1]) % 12) + (twelve[3]!.toLowerCase() === 'p' ? 12 : 0);
  return `${String(hour).padStart(2, '0')}:${twelve[2] ?? '00'}`;
}
