/** A least-recently-used cache bounded by the total size of its values. */

/** LRU by size: `get` refreshes an entry; `set` evicts the least recently used past `maxBytes`. */
export class LruCache<K, V> {
  private readonly map = new Map<K, { value: V; size: number }>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get(key: K): V | undefined {
    const hit = this.map.get(key);
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
    }
    if (size > this.maxBytes) return;
    this.map.set(key, { value, size });
    this.bytes += size;
    while (this.bytes > this.maxBytes) {
      const [k, oldest] = this.map.entries().next().value as [K, { value: V; size: number }];
      this.map.delete(k);
      this.bytes -= oldest.size;
      this.onEvict?.(k, oldest.value);
    }
  }

  delete(key: K): void {
    const hit = this.map.get(key);
    if (!hit) return;
    this.map.delete(key);
    this.bytes -= hit.size;
  }

  /** Total size of the values held. */
  sizeBytes(): number {
    return this.bytes;
  }

  get count(): number {
    return this.map.size;
  }
}
