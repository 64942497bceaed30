/**
 * A node of Drain's prefix tree: its children by token, in insertion order, and at a leaf the ids
 * of its clusters. Most nodes have one child, and a line's walk visits a node per leading token
 * across hundreds of trees, so the first child sits in the node's own fields (one load from the
 * node to the next, no list between them); further children are a list compared token by token
 * (a node has at most `max_children`, 15 by default), and past 16 a Map. The placeholder child is
 * also held on its own, as every miss falls back to it. Pure.
 */
import { PLACEHOLDER } from './drain-tokenizers.js';

const LIST_MAX = 16;

export class DrainNode {
  private firstKey: string | null = null;
  private first: DrainNode | null = null;
  private moreKeys: string[] | null = null;
  private more: DrainNode[] | null = null;
  private map: Map<string, DrainNode> | null = null;
  /** The child keyed by the placeholder, if there is one. */
  placeholder: DrainNode | null = null;
  /** The clusters at this node (a leaf). */
  clusterIds: number[] = [];

  /** How many children the node has. */
  get size(): number {
    return this.first === null ? 0 : 1 + (this.more?.length ?? 0);
  }

  child(token: string): DrainNode | null {
    if (this.firstKey === token) return this.first;
    if (this.map !== null) return this.map.get(token) ?? null;
    const keys = this.moreKeys;
    if (keys !== null) for (let i = 0; i < keys.length; i++) if (keys[i] === token) return (this.more as DrainNode[])[i] as DrainNode;
    return null;
  }

  /** Add a child under a token the node does not have yet. */
  add(token: string, child: DrainNode): void {
    if (token === PLACEHOLDER) this.placeholder = child;
    if (this.first === null) {
      this.firstKey = token;
      this.first = child;
      return;
    }
    (this.moreKeys ??= []).push(token);
    (this.more ??= []).push(child);
    if (this.map !== null) this.map.set(token, child);
    else if (this.size > LIST_MAX) this.map = new Map(this.entries());
  }

  /** Keep only the children `keep` says yes to, in their order. */
  retain(keep: (child: DrainNode) => boolean): void {
    const kept = this.entries().filter(([, child]) => keep(child));
    this.firstKey = null;
    this.first = this.placeholder = null;
    this.moreKeys = this.more = null;
    this.map = null;
    for (const [key, child] of kept) this.add(key, child);
  }

  private entries(): Array<[string, DrainNode]> {
    if (this.first === null) return [];
    const out: Array<[string, DrainNode]> = [[this.firstKey as string, this.first]];
    const keys = this.moreKeys ?? [];
    for (let i = 0; i < keys.length; i++) out.push([keys[i] as string, (this.more as DrainNode[])[i] as DrainNode]);
    return out;
  }
}
