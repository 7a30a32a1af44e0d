import type { HourlyRollup } from '../data-access/usage-rollup.repository';

const MEMO_ENTRIES = 500;

/**
 * Sums over an organisation's closed days (the 30-day window without today), kept between page views.
 * A closed day still changes when a late audit batch lands in it, so an entry is valid only for the exact
 * request count of every closed day (see closedDaysVersion): a view reads those counts (29 tiny documents)
 * and today's rollup, and reads the 29 full days again only when a count moved or the window slid to a
 * new day. Correct with many gateway instances: each keeps its own copy, checked on every view.
 */
export class ClosedDaysMemo<T> {
  private readonly entries = new Map<string, { version: string; sums: T }>();

  /** A copy, so today's additions never reach the kept sums. */
  get(organisationId: string, version: string): T | undefined {
    const entry = this.entries.get(organisationId);
    return entry?.version === version ? structuredClone(entry.sums) : undefined;
  }

  set(organisationId: string, version: string, sums: T): void {
    this.entries.delete(organisationId);
    const oldest = this.entries.keys().next();
    if (this.entries.size >= MEMO_ENTRIES && !oldest.done) this.entries.delete(oldest.value);
    this.entries.set(organisationId, { version, sums: structuredClone(sums) });
  }
}

/** The window's first day and every closed day's request count: what the kept sums were made from. */
export function closedDaysVersion(windowStart: Date, counts: Pick<HourlyRollup, '_id' | 'c'>[]): string {
  return `${windowStart.toISOString()}:${counts.map((d) => `${d._id}=${d.c}`).sort().join(',')}`;
}
