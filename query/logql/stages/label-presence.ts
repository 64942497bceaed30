/**
 * A byte pre-check for the commonest metric pipeline shape, `| json | x > 5` or `| logfmt | x="a"`:
 * a filter that fails whenever its label is missing drops every line the parser cannot give the
 * label to, and a parser can only give a label whose name has no `_` to a line holding that name
 * literally (a logfmt key, or an unescaped JSON key, sanitises to the name only by being it). So a
 * line without the name is dropped before it is parsed. Exact: lines that hold the name, that
 * have a JSON escape, or whose stream or structured metadata has the label are parsed as before.
 * Pure.
 */
import type { Labels } from '../../../schemas/labels/index.js';
import type { LabelFilter, Stage } from '../ast.js';
import { linesWithLiteral } from './block-select.js';

/** The label whose absence from a line drops it, and whether the parser is `| json`. */
export interface PresenceCheck {
  readonly label: string;
  /** The label as structured metadata renamed for a clash with a stream label. */
  readonly renamed: string;
  readonly bytes: Buffer;
  readonly json: boolean;
}

/** Labels of a filter every one of which must be present for the filter to pass. */
function labelsThatMustExist(f: LabelFilter): string[] {
  switch (f.kind) {
    case 'and': return [...labelsThatMustExist(f.left), ...labelsThatMustExist(f.right)];
    case 'or': return [];
    // a missing label fails a typed comparison; read as "", it fails `= "v"` for any v but ""
    case 'number':
    case 'duration':
    case 'bytes':
      return [f.name];
    case 'string': return f.matcher.type === '=' && f.matcher.value !== '' ? [f.matcher.name] : [];
    case 'ip': return [];
  }
}

/** The check for `stages` (after leading line filters), or null when the shape does not allow one. */
export function presenceCheck(stages: readonly Stage[]): PresenceCheck | null {
  const [parser, filter] = stages;
  if (parser === undefined || filter === undefined || filter.kind !== 'labelFilter') return null;
  if (!((parser.kind === 'json' || parser.kind === 'logfmt') && parser.extractions.length === 0)) return null;
  const label = labelsThatMustExist(filter.filter).find((l) => !l.includes('_'));
  if (label === undefined) return null;
  return { label, renamed: `${label}_extracted`, bytes: Buffer.from(label, 'utf8'), json: parser.kind === 'json' };
}

/** Structured metadata lists a gate remembers the answer for. */
const SEEN_LISTS = 8;

/** Lines a stream's gate checks before deciding whether checking pays (it costs a search per line). */
const TRIAL_LINES = 512;

/**
 * The check as one stream applies it: off for a stream whose labels have the label already, and
 * turned off once most lines turn out to hold the name (then the search costs more than the
 * parsing it saves). Turning it off changes no answer: the check only ever saves work.
 */
export class PresenceGate {
  private checked = 0;
  private passed = 0;
  private on: boolean;

  constructor(private readonly check: PresenceCheck, streamLabels: Labels) {
    this.on = !streamLabels.some((l) => l.name === check.label);
  }

  /** True when `| json` certainly gives the line text[start, end) no label: it is not a JSON object. */
  isNotAnObject(text: Uint8Array, start: number, end: number, sm: Labels): boolean {
    return this.check.json && !startsAsObject(text, start, end) && !this.smHasLabel(sm);
  }

  /**
   * The last few structured metadata lists looked at, and whether each has the label: a block's
   * entries share a few lists (one per detected level, say), which are then told apart by identity.
   */
  private readonly seenSm: Labels[] = [];
  private readonly seenHas: boolean[] = [];
  private nextSeen = 0;

  private smHasLabel(sm: Labels): boolean {
    const seen = this.seenSm;
    for (let i = 0; i < seen.length; i++) if (seen[i] === sm) return this.seenHas[i] as boolean;
    const has = smHas(this.check, sm);
    const at = seen.length < SEEN_LISTS ? seen.length : this.nextSeen++ % SEEN_LISTS;
    seen[at] = sm;
    this.seenHas[at] = has;
    return has;
  }

  /**
   * The lines from..to-1 of a block (line i is text[bounds[i], bounds[i + 1]), its structured
   * metadata `smOf(i)`, null when no entry has any) that must be parsed, ascending, found by one
   * native search over the whole run; null when the check is off for this stream or the parser is
   * `| json` (its names recur outside JSON lines, which one byte tells apart: per line is cheaper).
   */
  selectRun(text: Buffer, bounds: ArrayLike<number>, from: number, to: number, smOf: ((i: number) => Labels) | null): Uint32Array | null {
    if (!this.on || this.check.json) return null;
    const named = linesWithLiteral(text, bounds, from, to, this.check.bytes);
    return smOf === null ? named : union(named, this.linesWithSmLabel(from, to, smOf));
  }

  /** The lines from..to-1 whose structured metadata has the label. */
  private linesWithSmLabel(from: number, to: number, smOf: (i: number) => Labels): Uint32Array {
    const out = new Uint32Array(to - from);
    let n = 0;
    for (let i = from; i < to; i++) if (this.smHasLabel(smOf(i))) out[n++] = i;
    return out.subarray(0, n);
  }

  /** False when the line line[start, end) (all of `line` by default) certainly gets dropped; true when it must be parsed. */
  mayHave(line: Buffer, sm: Labels, start = 0, end = line.length): boolean {
    // a line that is not a JSON object gives `| json` no label at all: no search needed
    if (this.isNotAnObject(line, start, end, sm)) return false;
    if (!this.on) return true;
    const ok = mayHaveLabel(this.check, line, sm, start, end);
    if (ok) this.passed++;
    if (++this.checked === TRIAL_LINES && this.passed * 4 > this.checked * 3) this.on = false;
    return ok;
  }
}

/** The ascending union of two ascending index lists. */
function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] as number) : Infinity;
    const y = j < b.length ? (b[j] as number) : Infinity;
    out[n++] = x <= y ? x : y;
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return out.subarray(0, n);
}

/** True when the first byte after whitespace is `{` (jsonparser's objectEach fails on anything else). */
function startsAsObject(line: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = line[i] as number;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c === 0x7b;
  }
  return false;
}

function smHas(check: PresenceCheck, sm: Labels): boolean {
  for (const l of sm) if (l.name === check.label || l.name === check.renamed) return true;
  return false;
}

/** Lines up to this long are searched by a loop here: below it, the native search's call costs more. */
const SHORT_LINE = 512;

/** True when `needle` occurs in line[start, end) (a plain loop for short lines, the native search for long ones). */
function contains(line: Buffer, needle: Buffer, start: number, end: number): boolean {
  if (end - start > SHORT_LINE) return line.subarray(start, end).indexOf(needle) >= 0;
  const m = needle.length;
  const first = needle[0] as number;
  const last = end - m;
  outer: for (let i = start; i <= last; i++) {
    if (line[i] !== first) continue;
    for (let j = 1; j < m; j++) if (line[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** True when the line line[start, end) (all of `line` by default) may get the label (it must be parsed); false when it is certainly dropped. */
export function mayHaveLabel(check: PresenceCheck, line: Buffer, sm: Labels, start = 0, end = line.length): boolean {
  if (contains(line, check.bytes, start, end)) return true;
  if (check.json && contains(line, BACKSLASH, start, end)) return true;
  return smHas(check, sm);
}

const BACKSLASH = Buffer.from('\\');
