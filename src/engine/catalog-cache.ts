/**
 * A few seconds of a read-mostly row per node (services, their tokens), dropped at once when the
 * catalog changes anywhere (`catalog.updated`, see LiveProjection.onCatalogUpdated). Bounded: past
 * `maxEntries` keys it starts again empty, so unknown keys sent by the public cannot grow it.
 */
export class CatalogCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = await load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { at: Date.now(), value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
