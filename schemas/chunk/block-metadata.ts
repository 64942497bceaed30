/**
 * The structured metadata section of a chunk block: a per-block symbol table of the names and
 * values used, then each entry's pairs as symbol numbers. Every entry keeps its own pairs, in the
 * order they were pushed (as Loki's chunk format v4 keeps them per entry). Pure.
 *
 * Layout (FORMATS.md §1.4): `symbolCount` uvarint; `symbolCount` × (length uvarint, UTF-8 bytes);
 * then per entry `pairCount` uvarint and `pairCount` × (name symbol uvarint, value symbol uvarint).
 * A block where no entry has metadata has an empty section (length 0).
 */
import { ByteReader, ByteWriter } from '../wire/index.js';
import { FjordError } from '../errors.js';
import type { Label } from '../labels/index.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const NO_LABELS: readonly Label[] = Object.freeze([]);

/** A metadata pair object and the symbols of its name and value. */
interface PairSymbols {
  readonly label: Label;
  readonly name: number;
  readonly value: number;
}

/**
 * Encode the metadata section for entries taken in `order` (indices into `metadata`). Returns an
 * empty array when no entry has metadata.
 */
export function encodeMetadataSection(metadata: readonly (readonly Label[])[], order: ArrayLike<number>): Uint8Array {
  let any = false;
  for (let i = 0; i < order.length && !any; i++) any = (metadata[order[i] as number] as readonly Label[]).length > 0;
  if (!any) return new Uint8Array(0);
  const symbols = new Map<string, number>();
  const symbolOf = (s: string): number => {
    let id = symbols.get(s);
    if (id === undefined) {
      id = symbols.size;
      symbols.set(s, id);
    }
    return id;
  };
  // The symbols of the last few pair objects seen: entries share pair objects (a detected_level
  // pair, say), and an identity check is cheaper than two string lookups.
  const recent: PairSymbols[] = [];
  let next = 0;
  const pairs = new ByteWriter(order.length * 8);
  for (let i = 0; i < order.length; i++) {
    const labels = metadata[order[i] as number] as readonly Label[];
    pairs.uvarint(labels.length);
    for (let k = 0; k < labels.length; k++) {
      const l = labels[k] as Label;
      let hit: PairSymbols | undefined;
      for (let r = 0; r < recent.length && hit === undefined; r++) if ((recent[r] as PairSymbols).label === l) hit = recent[r];
      if (hit === undefined) {
        hit = { label: l, name: symbolOf(l.name), value: symbolOf(l.value) };
        recent[next] = hit;
        next = (next + 1) % 8;
      }
      pairs.uvarint(hit.name).uvarint(hit.value);
    }
  }
  const out = new ByteWriter(pairs.length + symbols.size * 16 + 8);
  out.uvarint(symbols.size);
  for (const s of symbols.keys()) out.string(s);
  out.bytes(pairs.view8());
  return out.finish();
}

/**
 * A parsed metadata section: offsets are checked at parse time (so corruption surfaces when the
 * block is decoded), strings are decoded on first use and then kept.
 */
export class MetadataSection {
  private readonly symbolText: (string | undefined)[];
  /** Each entry's pairs once asked for (blocks stay in the decoded-block cache across queries). */
  private readonly entryLabels: (readonly Label[] | undefined)[];
  /** Bytes of each entry's pairs (names plus values, UTF-8), computed on first use. */
  private entryBytes: Uint32Array | null = null;
  /** Pair lists already made, by their symbol numbers: entries with the same pairs share one frozen list. */
  private readonly interned = new Map<number | string, readonly Label[]>();

  private constructor(
    private readonly bytes: Uint8Array,
    /** Start and end of each symbol's UTF-8 bytes in `bytes`. */
    private readonly symbolStart: Uint32Array,
    private readonly symbolEnd: Uint32Array,
    /** Start of each entry's pairs in `bytes`; `count + 1` offsets. */
    private readonly entryStart: Uint32Array,
  ) {
    this.symbolText = new Array<string | undefined>(symbolStart.length);
    this.entryLabels = new Array<readonly Label[] | undefined>(entryStart.length - 1);
  }

  /** Parse and check a section for `count` entries; an empty section means no metadata (null). */
  static parse(bytes: Uint8Array, count: number): MetadataSection | null {
    if (bytes.length === 0) return null;
    const r = new ByteReader(bytes, 'block structured metadata', 'chunk_corrupt');
    const symbolCount = r.uvarint('symbol count');
    if (symbolCount > bytes.length) throw r.fail('symbol count exceeds the section');
    const symbolStart = new Uint32Array(symbolCount);
    const symbolEnd = new Uint32Array(symbolCount);
    for (let s = 0; s < symbolCount; s++) {
      const len = r.uvarint('symbol length');
      symbolStart[s] = r.pos;
      r.bytesView(len, 'symbol');
      symbolEnd[s] = r.pos;
    }
    const entryStart = new Uint32Array(count + 1);
    for (let i = 0; i < count; i++) {
      entryStart[i] = r.pos;
      const pairs = r.uvarint('pair count');
      if (pairs > r.remaining) throw r.fail('pair count exceeds the section');
      for (let p = 0; p < pairs * 2; p++) {
        if (r.uvarint('symbol number') >= symbolCount) throw r.fail('symbol number out of range');
      }
    }
    entryStart[count] = r.pos;
    r.expectEnd();
    return new MetadataSection(bytes, symbolStart, symbolEnd, entryStart);
  }

  private symbol(id: number): string {
    let s = this.symbolText[id];
    if (s === undefined) {
      const b = this.bytes.subarray(this.symbolStart[id], this.symbolEnd[id]);
      try {
        s = utf8.decode(b);
      } catch {
        throw new FjordError('chunk_corrupt', 'block structured metadata: symbol is not valid UTF-8');
      }
      this.symbolText[id] = s;
    }
    return s;
  }

  /**
   * The pairs of entry `index` (0 ≤ index < count), in pushed order. Entries with the same pairs get
   * the same frozen list (most entries of a block share a few, such as one `detected_level`), so
   * callers may cache by identity. The section was checked at parse time, so the varints here are
   * known to be well formed.
   */
  labels(index: number): readonly Label[] {
    const known = this.entryLabels[index];
    if (known !== undefined) return known;
    const out = this.internedLabels(index);
    this.entryLabels[index] = out;
    return out;
  }

  private internedLabels(index: number): readonly Label[] {
    const bytes = this.bytes;
    const start = this.entryStart[index] as number;
    const end = this.entryStart[index + 1] as number;
    if (end - start === 1) return NO_LABELS; // a lone pair count of 0
    let key: number | string;
    if (end - start <= 6) {
      // up to six bytes of pairs (one or two pairs of small symbol numbers): a number, no string made
      key = end - start;
      for (let i = start; i < end; i++) key = key * 256 + (bytes[i] as number);
    } else {
      key = '';
      for (let i = start; i < end; i++) key += String.fromCharCode(bytes[i] as number);
    }
    let out = this.interned.get(key);
    if (out === undefined) {
      out = this.decodePairs(start);
      this.interned.set(key, out);
    }
    return out;
  }

  /** Bytes of the pairs of entry `index`: names plus values, UTF-8 (what Loki counts as structured metadata bytes). */
  pairBytes(index: number): number {
    if (this.entryBytes === null) {
      const count = this.entryStart.length - 1;
      const sizes = new Uint32Array(count);
      const r = new ByteReader(this.bytes, 'block structured metadata', 'chunk_corrupt');
      for (let i = 0; i < count; i++) {
        r.pos = this.entryStart[i] as number;
        const symbols = 2 * r.uvarint('pair count');
        let n = 0;
        for (let p = 0; p < symbols; p++) {
          const id = r.uvarint('symbol number');
          n += (this.symbolEnd[id] as number) - (this.symbolStart[id] as number);
        }
        sizes[i] = n;
      }
      this.entryBytes = sizes;
    }
    return this.entryBytes[index] as number;
  }

  private decodePairs(start: number): readonly Label[] {
    const r = new ByteReader(this.bytes, 'block structured metadata', 'chunk_corrupt', start);
    const pairs = r.uvarint('pair count');
    if (pairs === 0) return NO_LABELS;
    const out = new Array<Label>(pairs);
    for (let p = 0; p < pairs; p++) {
      const name = this.symbol(r.uvarint('symbol number'));
      out[p] = Object.freeze({ name, value: this.symbol(r.uvarint('symbol number')) });
    }
    return Object.freeze(out);
  }
}
