/** `YYYY-MM-DD` of an instant in a time zone (API.md: dates are in the garage's time zone). An unknown
 * zone falls back to UTC rather than failing a payment over a display concern. */
export function localDateOf(instant: Date, timeZone: string): string {
  try {
    // en-CA formats as YYYY-MM-DD
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
  } catch {
    return instant.toISOString().slice(0, 10);
  }
}
