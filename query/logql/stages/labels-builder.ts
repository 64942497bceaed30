/**
 * The label state of one log line while a pipeline runs, with Loki's rules (LabelsBuilder in
 * pkg/logql/log/labels.go): stream labels from the selector, structured metadata, parsed labels
 * (a later category wins over an earlier one for the same name), deletions, the `__error__` /
 * `__error_details__` pair, and the set of names parsers already extracted on this line (the
 * first extraction of a name wins). Pure.
 */
import type { Label, Labels } from '../../../schemas/labels/index.js';
import { ERROR_DETAILS_LABEL, ERROR_LABEL } from './error-labels.js';
import { NO_HINTS, type ParserHints } from './parser-hints.js';

/** Where an output label comes from, for Loki's categorised responses. */
export type LabelCategory = 'stream' | 'structuredMetadata' | 'parsed';

export { ERROR_DETAILS_LABEL, ERROR_LABEL };
/** Loki's `__preserve_error__` label name. */
export const PRESERVE_ERROR_LABEL = '__preserve_error__';
/** Suffix parsers add to a name that clashes with a stream label or structured metadata. */
export const DUPLICATE_SUFFIX = '_extracted';

/** The labels of a processed line, split by category; each list sorted by name. */
export interface LabelsResult {
  /** All output labels, sorted. */
  readonly labels: Labels;
  readonly stream: Labels;
  readonly structuredMetadata: Labels;
  /** Parsed labels, including `__error__` / `__error_details__`. */
  readonly parsed: Labels;
}

const byName = (a: Label, b: Label): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** One category's labels on the current line, in the order added; refilled, not remade, per line. */
class LabelList {
  readonly names: string[] = [];
  readonly values: string[] = [];
  n = 0;

  indexOf(name: string): number {
    for (let i = 0; i < this.n; i++) if (this.names[i] === name) return i;
    return -1;
  }

  push(name: string, value: string): void {
    this.names[this.n] = name;
    this.values[this.n] = value;
    this.n++;
  }

  remove(name: string): void {
    const i = this.indexOf(name);
    if (i < 0) return;
    for (let j = i + 1; j < this.n; j++) {
      this.names[j - 1] = this.names[j] as string;
      this.values[j - 1] = this.values[j] as string;
    }
    this.n--;
  }
}

/** Distinct names a set of marks remembers before it forgets them all (lines with ever-new keys). */
const MARKED_NAMES_CAP = 4096;

/**
 * Names marked on the current line. Clearing is a counter step, not a rebuild: a name is marked
 * when its stamp is the current line's, so a line costs one map write per mark and nothing more.
 */
class LineMarks {
  private readonly stamps = new Map<string, number>();
  private line = 1;
  /** Names marked on the current line. */
  size = 0;

  clear(): void {
    if (this.size === 0) return;
    this.size = 0;
    this.line++;
    if (this.stamps.size > MARKED_NAMES_CAP) this.stamps.clear();
  }

  has(name: string): boolean {
    return this.stamps.get(name) === this.line;
  }

  add(name: string): void {
    if (this.stamps.get(name) === this.line) return;
    this.stamps.set(name, this.line);
    this.size++;
  }
}

const CATEGORIES: readonly LabelCategory[] = ['stream', 'structuredMetadata', 'parsed'];

/** Per-stream label state, reset for each line. */
export class LabelsBuilder {
  private readonly baseMap: Map<string, string>;
  private readonly stream = new LabelList();
  private readonly sm = new LabelList();
  private readonly parsed = new LabelList();
  /** The three lists in category order (CATEGORIES). */
  private readonly lists: readonly LabelList[] = [this.stream, this.sm, this.parsed];
  private dels: string[] = [];
  /** Names parsers extracted on this line. */
  private readonly extracted = new LineMarks();
  /** Names whose handed-down filter a parser ran, and passed, as it extracted them on this line. */
  private readonly filtered = new LineMarks();
  err = '';
  errDetails = '';
  /** The structured metadata last added to a fresh line, and what that gave (a block's entries share lists). */
  private smAdded: Labels | null = null;
  private readonly smResult = new LabelList();
  private smErr = '';
  private smErrDetails = '';
  /** The result when nothing was added, deleted or flagged (the stream labels alone). */
  readonly baseResult: LabelsResult;

  /** `hints` say what the query needs its parsers to extract (parser-hints.ts). */
  constructor(readonly base: Labels, readonly hints: ParserHints = NO_HINTS) {
    this.baseMap = new Map(base.map((l) => [l.name, l.value]));
    this.baseResult = { labels: base, stream: base, structuredMetadata: [], parsed: [] };
  }

  /** Clear the per-line state. */
  reset(): void {
    this.stream.n = 0;
    this.sm.n = 0;
    this.parsed.n = 0;
    // emptied in place (pop is cheaper than setting the length, and allocates nothing)
    while (this.dels.length > 0) this.dels.pop();
    this.extracted.clear();
    this.filtered.clear();
    this.err = '';
    this.errDetails = '';
  }

  /** True when the line changed nothing about the stream labels. */
  isUnchanged(): boolean {
    return this.stream.n === 0 && this.sm.n === 0 && this.parsed.n === 0 && this.dels.length === 0 && this.err === '' && this.errDetails === '';
  }

  /** Loki's Add(StructuredMetadataLabel, …): clashing names get `_extracted`; `__error__` sets the error. */
  addStructuredMetadata(sm: Labels): void {
    const fresh = this.isUnchanged();
    if (fresh && sm === this.smAdded) {
      // what adding this list to a fresh line gives was kept: lay it down again
      const done = this.smResult;
      for (let i = 0; i < done.n; i++) this.sm.push(done.names[i] as string, done.values[i] as string);
      this.err = this.smErr;
      this.errDetails = this.smErrDetails;
      return;
    }
    for (const l of sm) {
      let name = l.name;
      if (this.baseMap.has(name)) name += DUPLICATE_SUFFIX;
      if (name === ERROR_LABEL) this.err = l.value;
      else if (name === ERROR_DETAILS_LABEL) this.errDetails = l.value;
      else this.set('structuredMetadata', name, l.value);
    }
    if (!fresh) return;
    this.smAdded = sm;
    this.smResult.n = 0;
    for (let i = 0; i < this.sm.n; i++) this.smResult.push(this.sm.names[i] as string, this.sm.values[i] as string);
    this.smErr = this.err;
    this.smErrDetails = this.errDetails;
  }

  /** True when the stream labels have `name` (even with an empty value). */
  baseHas(name: string): boolean {
    return this.baseMap.has(name);
  }

  /** True when `name` is structured metadata on this line. */
  hasStructuredMetadata(name: string): boolean {
    return this.sm.indexOf(name) >= 0;
  }

  /** The name a parser writes `key` under: `key_extracted` when it clashes with a stream label or structured metadata. */
  parsedName(key: string): string {
    return this.baseMap.has(key) || this.sm.indexOf(key) >= 0 ? key + DUPLICATE_SUFFIX : key;
  }

  /** True when a parser already extracted `name` on this line. */
  wasExtracted(name: string): boolean {
    return this.extracted.has(name);
  }

  /** Loki's ShouldExtract: the query needs `key` from parsers. */
  shouldExtract(key: string): boolean {
    const r = this.hints.required;
    return r === null || r.includes(key);
  }

  /** Loki's ShouldExtractPrefix: some needed label starts with `prefix` (nested JSON objects). */
  shouldExtractPrefix(prefix: string): boolean {
    const r = this.hints.required;
    return r === null || r.some((l) => l.startsWith(prefix));
  }

  /** Loki's AllRequiredExtracted: every needed label was extracted on this line. */
  allRequiredExtracted(): boolean {
    const r = this.hints.required;
    if (r === null || r.length === 0 || this.extracted.size < r.length) return false;
    for (const l of r) if (!this.extracted.has(l)) return false;
    return true;
  }

  /** Loki's NoLabels: a parser has nothing (more) to extract on this line. */
  hasNothingToExtract(): boolean {
    return this.hints.noLabels || this.allRequiredExtracted();
  }

  /** Loki's ShouldContinueParsingLine: false when `name`, just extracted, fails the query's filter on it. */
  passesFilterOn(name: string): boolean {
    const f = this.hints.filters.get(name);
    if (f === undefined) return true;
    if (!f(this)) return false;
    this.filtered.add(name);
    return true;
  }

  /** True when a parser ran the query's handed-down filter on `name` as it extracted it on this line, and the filter passed. */
  passedFilterOn(name: string): boolean {
    return this.filtered.has(name);
  }

  /** Loki's addErrLabel: a parser error, marked `__preserve_error__` when the query reads `__error__`. */
  setParserError(err: string, details: string | null): void {
    this.err = err;
    if (details !== null) this.errDetails = details;
    if (this.hints.preserveError) this.set('parsed', PRESERVE_ERROR_LABEL, 'true');
  }

  /** Loki's Set with its precedence between categories. */
  set(category: LabelCategory, name: string, value: string): void {
    const { stream, sm, parsed } = this;
    let list: LabelList;
    if (category === 'parsed') {
      sm.remove(name);
      stream.remove(name);
      list = parsed;
    } else if (category === 'structuredMetadata') {
      stream.remove(name);
      if (parsed.indexOf(name) >= 0) return;
      list = sm;
    } else {
      if (sm.indexOf(name) >= 0 || parsed.indexOf(name) >= 0) return;
      list = stream;
    }
    const i = list.indexOf(name);
    if (i >= 0) list.values[i] = value;
    else list.push(name, value);
    if (category === 'parsed') this.extracted.add(name);
  }

  /** Delete labels (Loki's Del). */
  del(names: readonly string[]): void {
    for (const n of names) {
      this.stream.remove(n);
      this.sm.remove(n);
      this.parsed.remove(n);
      this.dels.push(n);
    }
  }

  /** A label's value and category; missing (or empty stream) labels give undefined. */
  getWithCategory(name: string): { value: string; category: LabelCategory } | undefined {
    for (let c = 0; c < 3; c++) {
      const list = this.lists[c] as LabelList;
      const i = list.indexOf(name);
      if (i >= 0) return { value: list.values[i] as string, category: CATEGORIES[c] as LabelCategory };
    }
    const v = this.get(name);
    return v === undefined ? undefined : { value: v, category: 'stream' };
  }

  /** A label's value (Loki's Get); undefined when absent. */
  get(name: string): string | undefined {
    for (let c = 0; c < 3; c++) {
      const list = this.lists[c] as LabelList;
      const i = list.indexOf(name);
      if (i >= 0) return list.values[i] as string;
    }
    if (this.dels.length > 0 && this.dels.includes(name)) return undefined;
    const v = this.baseMap.get(name);
    return v === undefined || v === '' ? undefined : v;
  }

  /** Value for label filters: `__error__` reads the error; absent labels read as ''. */
  filterValue(name: string): string {
    if (name === ERROR_LABEL) return this.err;
    return this.get(name) ?? '';
  }

  /** Every current label, unsorted, with its category (Loki's UnsortedLabels). */
  unsorted(): { label: Label; category: LabelCategory }[] {
    const { stream, sm, parsed } = this;
    const out: { label: Label; category: LabelCategory }[] = [];
    for (const l of this.base) {
      if (this.dels.includes(l.name) || sm.indexOf(l.name) >= 0 || parsed.indexOf(l.name) >= 0) continue;
      const i = stream.indexOf(l.name);
      out.push({ label: i >= 0 ? { name: l.name, value: stream.values[i] as string } : l, category: 'stream' });
    }
    for (let i = 0; i < sm.n; i++) {
      const name = sm.names[i] as string;
      if (parsed.indexOf(name) < 0) out.push({ label: { name, value: sm.values[i] as string }, category: 'structuredMetadata' });
    }
    for (let i = 0; i < parsed.n; i++) out.push({ label: { name: parsed.names[i] as string, value: parsed.values[i] as string }, category: 'parsed' });
    if (this.err !== '') out.push({ label: { name: ERROR_LABEL, value: this.err }, category: 'parsed' });
    if (this.errDetails !== '') out.push({ label: { name: ERROR_DETAILS_LABEL, value: this.errDetails }, category: 'parsed' });
    return out;
  }

  /** The line's labels, categorised (Loki's LabelsResult). */
  result(): LabelsResult {
    if (this.isUnchanged()) return this.baseResult;
    const all = this.unsorted();
    const labels: Label[] = [];
    const stream: Label[] = [];
    const sm: Label[] = [];
    const parsed: Label[] = [];
    const seen = new Set<string>();
    for (const { label, category } of all) {
      if (seen.has(label.name)) continue;
      seen.add(label.name);
      labels.push(label);
      (category === 'stream' ? stream : category === 'structuredMetadata' ? sm : parsed).push(label);
    }
    return { labels: labels.sort(byName), stream: stream.sort(byName), structuredMetadata: sm.sort(byName), parsed: parsed.sort(byName) };
  }
}
