/** Calendar dates (`YYYY-MM-DD`, in the garage's time zone) and wall-clock times (`HH:MM`): the one
 * module that does their arithmetic, so no service does calendar maths by hand. An unknown time zone
 * falls back to UTC rather than failing a request over a display concern. */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** `HH:MM`, 00:00–23:59 */
export const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const weekdayKeys = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdayKeys)[number];

/** true for a `YYYY-MM-DD` that names a real calendar day (2025-02-29 does not). */
export function isRealDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

// Building an Intl.DateTimeFormat costs far more than using one: one formatter per zone, kept.
const dateFormats = new Map<string, Intl.DateTimeFormat | null>();
const partFormats = new Map<string, Intl.DateTimeFormat | null>();

function cached(cache: Map<string, Intl.DateTimeFormat | null>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let format = cache.get(timeZone);
  if (format === undefined) {
    try {
      format = make();
    } catch {
      format = null; // unknown zone: callers fall back to UTC
    }
    cache.set(timeZone, format);
  }
  return format;
}

/** The garage-local calendar date of an instant. */
export function localDateOf(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD
  const format = cached(dateFormats, timeZone, () =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  );
  return format ? format.format(instant) : instant.toISOString().slice(0, 10);
}

/** Today's date where the garage is. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return localDateOf(now, timeZone);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function nextDay(date: string): string {
  return addDays(date, 1);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The weekday of a calendar date does not depend on the time zone. */
export function weekdayOf(date: string): Weekday {
  return weekdayKeys[new Date(`${date}T00:00:00Z`).getUTCDay()] as Weekday;
}

export function toMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h as number) * 60 + (m as number);
}

export function fromMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The instant a garage-local day starts, right on days when the clocks change. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [year = 1970, month = 1, day = 1] = date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day);
  // first guess with the offset at the wall time read as UTC, then again at the instant found
  const first = wall - offsetMs(wall, timeZone);
  const second = wall - offsetMs(first, timeZone);
  // where the clocks jump forward at midnight (Santiago, Havana), 00:00 does not exist: the second
  // guess lands on the evening before, and the day starts at the jump, found between the two guesses
  if (first <= second || localDateOf(new Date(second), timeZone) >= date) return new Date(second);
  return new Date(firstInstantOn(date, timeZone, second, first));
}

/** The first millisecond in (before, onDay] whose local date is `date` (`onDay` is on it). */
function firstInstantOn(date: string, timeZone: string, before: number, onDay: number): number {
  let [low, high] = [before, onDay];
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (localDateOf(new Date(middle), timeZone) >= date) high = middle;
    else low = middle;
  }
  return high;
}

/** How far the zone's wall clock is ahead of UTC at `instant`. */
function offsetMs(instant: number, timeZone: string): number {
  const format = cached(partFormats, timeZone, () =>
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }),
  );
  if (!format) return 0;
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}
