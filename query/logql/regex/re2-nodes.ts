/**
 * Building Go-shaped regex trees: literals (merged when adjacent), classes (a one-rune class
 * becomes a literal), and alternations (adjacent one-rune alternatives merged into a class,
 * common literal prefixes factored out), as Go's regexp/syntax parser does. Pure.
 */
import { foldOrbit, foldRanges, normalizeRanges } from './char-classes.js';
import { MAX_RUNE, type CharRange, type ReNode } from './re2-ast.js';

/** A literal node; `fold` only when some rune has case variants. */
export function literalNode(runes: number[], fold: boolean): ReNode {
  const hasCase = runes.some((r) => foldOrbit(r).length > 1);
  return { op: 'literal', runes, fold: fold && hasCase };
}

/** A class node with normalised (and optionally case-folded) ranges. */
export function classNode(ranges: CharRange[], props: string[], negated: boolean, fold: boolean): ReNode {
  const norm = fold ? foldRanges(ranges) : normalizeRanges(ranges);
  return { op: 'class', ranges: norm, props, negated };
}

/** Go turns a class of one rune, or of one rune and its case fold, into a literal. */
function classAsLiteral(n: ReNode): ReNode {
  if (n.op !== 'class' || n.props.length > 0) return n;
  const rs = n.ranges;
  if (rs.length === 1 && rs[0]?.[0] === rs[0]?.[1]) return { op: 'literal', runes: [rs[0]?.[0] as number], fold: false };
  const members = rs.flatMap(([lo, hi]) => (hi - lo < 4 ? Array.from({ length: hi - lo + 1 }, (_, k) => lo + k) : [-1, -2, -3, -4, -5]));
  if (members.length === 2) {
    const orbit = foldOrbit(members[0] as number);
    if (orbit.length === 2 && orbit.includes(members[1] as number)) return { op: 'literal', runes: [Math.min(...members)], fold: true };
  }
  return n;
}

/** Append to a concatenation, merging adjacent literals of the same case folding. */
export function pushItem(items: ReNode[], node0: ReNode): void {
  const node = classAsLiteral(node0);
  const last = items[items.length - 1];
  if (node.op === 'literal' && last?.op === 'literal' && last.fold === node.fold) {
    items[items.length - 1] = { op: 'literal', runes: [...last.runes, ...node.runes], fold: node.fold };
    return;
  }
  items.push(node);
}

function charRanges(n: ReNode): CharRange[] | null {
  if (n.op === 'literal' && n.runes.length === 1) {
    const r = n.runes[0] as number;
    return n.fold ? normalizeRanges(foldOrbit(r).map((x) => [x, x] as CharRange)) : [[r, r]];
  }
  if (n.op === 'class' && n.props.length === 0) return [...n.ranges];
  if (n.op === 'anyCharNotNL') return [[0, 9], [11, MAX_RUNE]];
  if (n.op === 'anyChar') return [[0, MAX_RUNE]];
  return null;
}

function leadingLiteral(n: ReNode): { runes: readonly number[]; fold: boolean } | null {
  if (n.op === 'literal') return n;
  if (n.op === 'concat' && n.subs[0]?.op === 'literal') return n.subs[0];
  return null;
}

function dropPrefix(n: ReNode, len: number): ReNode {
  const strip = (l: ReNode & { op: 'literal' }): ReNode | null =>
    l.runes.length === len ? null : { op: 'literal', runes: l.runes.slice(len), fold: l.fold };
  if (n.op === 'literal') return strip(n) ?? { op: 'emptyMatch' };
  if (n.op === 'concat') {
    const head = strip(n.subs[0] as ReNode & { op: 'literal' });
    const subs = head === null ? n.subs.slice(1) : [head, ...n.subs.slice(1)];
    return subs.length === 1 ? (subs[0] as ReNode) : { op: 'concat', subs };
  }
  return n;
}

/** Alternation as Go builds it: adjacent one-rune alternatives merged, common literal prefixes factored. */
export function makeAlternate(alts0: ReNode[]): ReNode {
  const alts: ReNode[] = [];
  for (const a of alts0) {
    const prev = alts[alts.length - 1];
    const ra = charRanges(a);
    const rp = prev === undefined ? null : charRanges(prev);
    if (ra !== null && rp !== null) alts[alts.length - 1] = classAsLiteral(classNode([...rp, ...ra], [], false, false));
    else alts.push(a);
  }
  const out: ReNode[] = [];
  for (let i = 0; i < alts.length; ) {
    const lead = leadingLiteral(alts[i] as ReNode);
    let j = i + 1;
    let common = lead?.runes.length ?? 0;
    while (lead !== null && j < alts.length) {
      const other = leadingLiteral(alts[j] as ReNode);
      if (other === null || other.fold !== lead.fold) break;
      let k = 0;
      while (k < common && k < other.runes.length && other.runes[k] === lead.runes[k]) k++;
      if (k === 0) break;
      common = k;
      j++;
    }
    if (lead === null || j - i < 2) {
      out.push(alts[i] as ReNode);
      i++;
      continue;
    }
    const prefix: ReNode = { op: 'literal', runes: lead.runes.slice(0, common), fold: lead.fold };
    const rest = alts.slice(i, j).map((a) => dropPrefix(a, common));
    const tail = rest.length === 1 ? (rest[0] as ReNode) : makeAlternate(rest);
    out.push({ op: 'concat', subs: [prefix, tail] });
    i = j;
  }
  return out.length === 1 ? (out[0] as ReNode) : { op: 'alternate', subs: out };
}
