/**
 * Orders the lease heartbeat against the writes that end a lease (an attempt's record, a failure
 * without attempt, a release). The heartbeat reads which held deliveries are still ours, then
 * extends those, by `_id` alone (see DeliveryQueue.extendLeases); a lease ended between that read
 * and that write would be set again, and a retry due soon would wait a whole lease for it. So a
 * delivery whose lease is being ended is left out of the beat, and a write that ends a lease the
 * beat is extending right now waits for the beat first (one round trip, once per heartbeat).
 */
export class LeaseFence {
  /** ids whose lease-ending write is under way */
  private readonly ending = new Map<string, number>();
  /** ids the running beat extends, and the beat */
  private extending = new Set<string>();
  private beat?: Promise<void>;

  /** Runs `write` (which ends the leases of `ids`) after any beat that extends one of them. */
  async end<T>(ids: string[], write: () => Promise<T>): Promise<T> {
    for (const id of ids) this.ending.set(id, (this.ending.get(id) ?? 0) + 1);
    try {
      const beat = this.beat;
      if (beat && ids.some((id) => this.extending.has(id))) await beat.catch(() => undefined);
      return await write();
    } finally {
      for (const id of ids) {
        const left = (this.ending.get(id) ?? 1) - 1;
        if (left > 0) this.ending.set(id, left);
        else this.ending.delete(id);
      }
    }
  }

  /** Runs one beat over the ids no lease-ending write is under way for. */
  async extend(ids: string[], beat: (ids: string[]) => Promise<void>): Promise<void> {
    const kept = ids.filter((id) => !this.ending.has(id));
    if (kept.length === 0) return;
    this.extending = new Set(kept);
    const running = beat(kept);
    this.beat = running;
    try {
      await running;
    } finally {
      this.extending = new Set();
      this.beat = undefined;
    }
  }
}
