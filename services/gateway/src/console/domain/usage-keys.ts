/** MongoDB field names cannot hold '.' or start with '$': dimension values (routes, IPs, user agents)
 * become field names in the rollups, so they are escaped reversibly. */
export function fieldName(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('.', '%2E').replaceAll('$', '%24').replaceAll('\0', '');
}

export function fromFieldName(field: string): string {
  return field.replaceAll('%2E', '.').replaceAll('%24', '$').replaceAll('%25', '%');
}

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export function isError(status: number): boolean {
  return status >= 400;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function hourOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}

/** UTC day start: daily rollups are per UTC day, like the hour-of-day card. */
export function dayOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

/** Rollup ids are built from organisation, (key) and period start, so a read names the exact documents it
 * needs (`_id: {$in: [...]}`): the MongoDB stand-in has no secondary indexes, only `_id` lookups avoid a scan. */
export function rollupId(organisationId: string, start: Date): string {
  return `${organisationId}|${start.toISOString()}`;
}

export function keyRollupId(organisationId: string, keyId: string, start: Date): string {
  return `${organisationId}|${keyId}|${start.toISOString()}`;
}

/** The starts of `count` consecutive periods of `stepMs` from `from`. */
export function periodStarts(from: Date, count: number, stepMs: number): Date[] {
  return Array.from({ length: count }, (_, i) => new Date(from.getTime() + i * stepMs));
}

/** A 24 h error rate at least double the 30 d rate is a spike (with a few errors, not one stray 404). */
export function isErrorSpike(errors24h: number, requests24h: number, errors30d: number, requests30d: number): boolean {
  if (requests24h === 0 || errors24h < 3 || requests30d === 0) return false;
  const rate30d = errors30d / requests30d;
  return errors24h / requests24h >= 2 * rate30d;
}
