/**
 * Block-level evaluation of a pipeline's leading line filters over a chunk block whose lines are
 * concatenated in one buffer. A literal filter is run as `indexOf` over the whole block, jumping to
 * the next line after a hit, so lines without a hit are never touched; other filters test only the
 * surviving lines. Pure.
 */
import { bytesPass, type CompiledLineFilter } from './line-filters.js';

/** Index of the line containing byte `pos` (bounds ascending), searching from line `from`. */
function lineOf(bounds: ArrayLike<number>, count: number, pos: number, from: number): number {
  let lo = from;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((bounds[mid] as number) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Indices of the lines from..to-1 that contain `needle` (ascending), scanning their bytes once natively. */
export function linesWithLiteral(text: Buffer, bounds: ArrayLike<number>, from: number, to: number, needle: Buffer): Uint32Array {
  const out = new Uint32Array(to - from);
  let n = 0;
  const end = bounds[to] as number;
  let pos = bounds[from] as number;
  let line = from;
  while (pos < end) {
    const at = text.indexOf(needle, pos);
    if (at < 0 || at + needle.length > end) break;
    line = lineOf(bounds, to, at, line);
    const lineEnd = bounds[line + 1] as number;
    if (at + needle.length <= lineEnd) {
      out[n++] = line;
      pos = lineEnd;
      line++;
    } else {
      pos = at + 1;
    }
  }
  return out.subarray(0, n);
}

function complement(selected: Uint32Array, count: number): Uint32Array {
  const out = new Uint32Array(count - selected.length);
  let n = 0;
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (k < selected.length && selected[k] === i) k++;
    else out[n++] = i;
  }
  return out;
}

function all(count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = i;
  return out;
}

/** Indices of the block's lines that pass every filter, in order. */
export function selectBlockLines(filters: readonly CompiledLineFilter[], text: Buffer, bounds: ArrayLike<number>, count: number): Uint32Array {
  if (count <= 0) return new Uint32Array(0);
  let rest = filters;
  let selected: Uint32Array;
  const first = filters[0];
  const lits = first?.test.literals;
  if (first !== undefined && lits !== undefined && lits !== null && lits.length === 1 && (lits[0] as Buffer).length > 0) {
    const hits = linesWithLiteral(text, bounds, 0, count, lits[0] as Buffer);
    selected = first.negate ? complement(hits, count) : hits;
    rest = filters.slice(1);
  } else {
    selected = all(count);
  }
  if (rest.length === 0) return selected;
  const out = new Uint32Array(selected.length);
  let n = 0;
  for (const i of selected) {
    const start = bounds[i] as number;
    const end = bounds[i + 1] as number;
    let decoded: string | null = null;
    let pass = true;
    for (const f of rest) {
      if (f.test.literals !== null) pass = bytesPass(f, text, start, end);
      else {
        decoded ??= text.toString('utf8', start, end);
        pass = f.test.testText(decoded) !== f.negate;
      }
      if (!pass) break;
    }
    if (pass) out[n++] = i;
  }
  return out.subarray(0, n);
}
