/** A least-recently-used cache bounded by the total size of its values. */

/** What a cache reports as it is used (Loki's cache metrics, bound to one cache). */
export interface CacheObserver {
  /** A `get`, and whether it found the key. */
  lookup(hit: boolean): void;
  /** A new key stored. */
  added(): void;
  /** An entry removed: pushed out past the size bound (`full`) or overwritten (`replaced`). */
  evicted(reason: 'full' | 'replaced'): void;
  /** Entries and bytes held, after a change. */
  size(entries: number, bytes: number): void;
}

/** LRU by size: `get` refreshes an entry; `set` evicts the least recently used past `maxBytes`. */
export class LruCache<K, V> {
  private readonly map = new Map<K, { value: V; size: number }>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
    private readonly onEvict?: (key: K, value: V) => void,
    private readonly observer?: CacheObserver,
  ) {}

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    this.observer?.lookup(hit !== undefined);
    if (!hit) return undefined;
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    const size = this.sizeOf(value);
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.bytes -= old.size;
      this.observer?.evicted('replaced');
    }
    if (size > this.maxBytes) {
      this.observer?.size(this.map.size, this.bytes);
      return;
    }
    this.map.set(key, { value, size });
    this.bytes += size;
    if (!old) this.observer?.added();
    while (this.bytes > this.maxBytes) {
      const [k, oldest] = this.map.entries().next().value as [K, { value: V; size: number }];
      this.map.delete(k);
      this.bytes -= oldest.size;
      this.onEvict?.(k, oldest.value);
      this.observer?.evicted('full');
    }
    this.observer?.size(this.map.size, this.bytes);
  }

  delete(key: K): void {
    const hit = this.map.get(key);
    if (!hit) return;
    this.map.delete(key);
    this.bytes -= hit.size;
    this.observer?.size(this.map.size, this.bytes);
  }

  /** Total size of the values held. */
  sizeBytes(): number {
    return this.bytes;
  }

  get count(): number {
    return this.map.size;
  }
}
