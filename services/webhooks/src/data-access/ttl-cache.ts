/**
 * A per-process memo of recent reads, for the delivery hot path (hundreds of reads a second of
 * documents that change a few times a day). Each entry lives `ttlMs` from the moment its read
 * started, so what another instance changed is seen at most `ttlMs` later; the repository drops
 * an entry as soon as this process changes the document. Concurrent reads of one key share one
 * round trip; a failed read is not kept.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = load();
    if (this.ttlMs <= 0) return value;
    // bounded: the oldest entry goes first (a Map iterates in insertion order)
    if (!hit && this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
