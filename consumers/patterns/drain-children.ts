/**
 * The children of a Drain tree node by token, in insertion order. A node has at most
 * `max_children` of them (15 by default), so they are kept as a list compared token by token,
 * which reads a token once (a Map reads it to hash it and again to compare); past 16 children a
 * Map takes over. The placeholder child is also held on its own, as every miss falls back to it.
 * Pure.
 */
import { PLACEHOLDER } from './drain-tokenizers.js';

const LIST_MAX = 16;

export class DrainChildren<T> {
  private readonly keys: string[] = [];
  private readonly values: T[] = [];
  private map: Map<string, T> | null = null;
  /** The child keyed by the placeholder, if there is one. */
  placeholder: T | undefined = undefined;

  get size(): number {
    return this.keys.length;
  }

  get(token: string): T | undefined {
    if (this.map !== null) return this.map.get(token);
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === token) return this.values[i];
    return undefined;
  }

  /** Add a child under a token it does not have yet. */
  add(token: string, child: T): void {
    this.keys.push(token);
    this.values.push(child);
    if (token === PLACEHOLDER) this.placeholder = child;
    if (this.map !== null) this.map.set(token, child);
    else if (this.keys.length > LIST_MAX) this.map = new Map(this.keys.map((k, i) => [k, this.values[i] as T]));
  }

  /** Keep only the children `keep` says yes to. */
  retain(keep: (child: T) => boolean): void {
    let w = 0;
    for (let r = 0; r < this.keys.length; r++) {
      const child = this.values[r] as T;
      if (!keep(child)) {
        if (this.keys[r] === PLACEHOLDER) this.placeholder = undefined;
        this.map?.delete(this.keys[r] as string);
        continue;
      }
      this.keys[w] = this.keys[r] as string;
      this.values[w] = child;
      w++;
    }
    this.keys.length = w;
    this.values.length = w;
  }
}
