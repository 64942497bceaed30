/**
 * The IndexTable port: the ingester's local, ordered key-value index (series, postings and chunk
 * refs not yet sealed into an uploaded bundle), and its classic-level (LevelDB) implementation.
 */
import { ClassicLevel } from 'classic-level';
import { FjordError, errorMessage } from '../../schemas/index.js';

/** An ordered key-value table with byte keys and values. */
export interface IndexTable {
  open(): Promise<void>;
  close(): Promise<void>;
  /** Write all pairs atomically. */
  putAll(pairs: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): Promise<void>;
  /** Pairs with gte ≤ key < lt, in key order. */
  range(gte: Uint8Array, lt: Uint8Array): AsyncIterable<readonly [Uint8Array, Uint8Array]>;
  /** Delete all keys with gte ≤ key < lt. */
  deleteRange(gte: Uint8Array, lt: Uint8Array): Promise<void>;
}

/** IndexTable on LevelDB through classic-level. */
export class LevelIndexTable implements IndexTable {
  private readonly db: ClassicLevel<Uint8Array, Uint8Array>;

  constructor(readonly location: string) {
    this.db = new ClassicLevel<Uint8Array, Uint8Array>(location, { keyEncoding: 'view', valueEncoding: 'view' });
  }

  async open(): Promise<void> {
    try {
      await this.db.open();
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      throw new FjordError('internal', `cannot open the index at ${this.location}: ${errorMessage(cause ?? err)}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async putAll(pairs: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): Promise<void> {
    if (pairs.length === 0) return;
    await this.db.batch(pairs.map(([key, value]) => ({ type: 'put' as const, key, value })));
  }

  async *range(gte: Uint8Array, lt: Uint8Array): AsyncIterable<readonly [Uint8Array, Uint8Array]> {
    for await (const [k, v] of this.db.iterator({ gte, lt })) yield [k, v] as const;
  }

  async deleteRange(gte: Uint8Array, lt: Uint8Array): Promise<void> {
    await this.db.clear({ gte, lt });
  }
}
