/**
 * An LALR(1) table builder that decides like goyacc: shift/reduce conflicts by precedence (a
 * rule takes the precedence of its last terminal; without precedence on either side, shift),
 * reduce/reduce by the earlier rule, the most frequent reduction as a state's default, no default
 * in states that shift `error`, accept on `$end` after the start symbol. Loki's parser is goyacc's,
 * and its syntax-error messages list the shifts and exceptions of the state where the error is
 * found, so the same decisions give the same messages. Pure; runs once per process.
 */

/** Precedence and associativity of a terminal. */
export interface TokenPrecedence {
  readonly level: number;
  readonly assoc: 'left' | 'right';
}

/** A grammar: terminals are 1..terminalCount (1 = `$end`, 2 = `error`), nonterminals follow. */
export interface GrammarSpec {
  readonly terminalCount: number;
  readonly nonterminalCount: number;
  /** Symbol of the start nonterminal. */
  readonly start: number;
  /** Rules in declaration order; rule i of this list becomes rule i + 1 (0 is `$accept`). */
  readonly rules: readonly { readonly lhs: number; readonly rhs: readonly number[] }[];
  readonly precedence: ReadonlyMap<number, TokenPrecedence>;
}

/** Marker in `exceptions` for accepting the input. */
export const ACCEPT = -1;

/** Parse tables of one state. */
export interface StateTable {
  /** terminal → next state */
  readonly shifts: ReadonlyMap<number, number>;
  /** nonterminal → next state */
  readonly gotos: ReadonlyMap<number, number>;
  /** terminal → rule to reduce or ACCEPT, for actions other than the default (goyacc's exca). */
  readonly exceptions: ReadonlyMap<number, number>;
  /** True when the state has an exception table (goyacc's def = -2). */
  readonly hasExceptions: boolean;
  /** Rule reduced by default, 0 = error. */
  readonly defaultRule: number;
}

/** The tables plus, per rule, its left-hand side and length. */
export interface ParseTables {
  readonly states: readonly StateTable[];
  readonly ruleLhs: readonly number[];
  readonly ruleLength: readonly number[];
}

const ERROR_TOKEN = 2;

type Bits = Uint32Array;

/** Build goyacc-compatible LALR(1) tables for `g`. */
export function buildTables(g: GrammarSpec): ParseTables {
  const T = g.terminalCount;
  const words = ((T + 1) >> 5) + 1;
  const rules = [{ lhs: T + g.nonterminalCount + 1, rhs: [g.start, 1] }, ...g.rules];
  const isNT = (s: number): boolean => s > T;
  const byLhs = new Map<number, number[]>();
  rules.forEach((r, i) => {
    const list = byLhs.get(r.lhs) ?? [];
    list.push(i);
    byLhs.set(r.lhs, list);
  });
  const rulePrec = rules.map((r) => {
    let level = 0;
    for (const s of r.rhs) if (!isNT(s)) level = g.precedence.get(s)?.level ?? 0;
    return level;
  });

  // nullable and FIRST
  const nullable = new Set<number>();
  const first = new Map<number, Bits>();
  for (const r of rules) if (!first.has(r.lhs)) first.set(r.lhs, new Uint32Array(words));
  const setBit = (b: Bits, i: number): boolean => {
    const w = i >> 5;
    const m = 1 << (i & 31);
    if (((b[w] as number) & m) !== 0) return false;
    b[w] = (b[w] as number) | m;
    return true;
  };
  const union = (dst: Bits, src: Bits): boolean => {
    let changed = false;
    for (let i = 0; i < words; i++) {
      const v = ((dst[i] as number) | (src[i] as number)) >>> 0;
      if (v !== dst[i]) {
        dst[i] = v;
        changed = true;
      }
    }
    return changed;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rules) {
      const f = first.get(r.lhs) as Bits;
      let allNullable = true;
      for (const s of r.rhs) {
        if (!isNT(s)) {
          changed = setBit(f, s) || changed;
          allNullable = false;
          break;
        }
        changed = union(f, first.get(s) as Bits) || changed;
        if (!nullable.has(s)) {
          allNullable = false;
          break;
        }
      }
      if (allNullable && !nullable.has(r.lhs)) {
        nullable.add(r.lhs);
        changed = true;
      }
    }
  }

  // LR(1) closure with bitset lookaheads; items are encoded rule * 64 + dot.
  const closure = (kernel: Map<number, Bits>): Map<number, Bits> => {
    const items = new Map<number, Bits>();
    const work: number[] = [];
    for (const [item, la] of kernel) {
      items.set(item, Uint32Array.from(la));
      work.push(item);
    }
    while (work.length > 0) {
      const item = work.pop() as number;
      const r = rules[item >> 6] as { lhs: number; rhs: readonly number[] };
      const dot = item & 63;
      const b = r.rhs[dot];
      if (b === undefined || !isNT(b)) continue;
      const la = new Uint32Array(words);
      let restNullable = true;
      for (let k = dot + 1; k < r.rhs.length; k++) {
        const s = r.rhs[k] as number;
        if (!isNT(s)) {
          setBit(la, s);
          restNullable = false;
          break;
        }
        union(la, first.get(s) as Bits);
        if (!nullable.has(s)) {
          restNullable = false;
          break;
        }
      }
      if (restNullable) union(la, items.get(item) as Bits);
      for (const ri of byLhs.get(b) ?? []) {
        const it = ri * 64;
        const existing = items.get(it);
        if (existing === undefined) {
          items.set(it, Uint32Array.from(la));
          work.push(it);
        } else if (union(existing, la)) work.push(it);
      }
    }
    return items;
  };

  // LR(0) automaton
  const kernels: number[][] = [[0]];
  const keyOf = (k: number[]): string => k.join(',');
  const index = new Map<string, number>([[keyOf([0]), 0]]);
  const transitions: Map<number, number>[] = [];
  const empty = new Uint32Array(words);
  for (let s = 0; s < kernels.length; s++) {
    const cl = closure(new Map((kernels[s] as number[]).map((i) => [i, empty])));
    const next = new Map<number, number[]>();
    for (const item of cl.keys()) {
      const r = rules[item >> 6] as { rhs: readonly number[] };
      const x = r.rhs[item & 63];
      if (x === undefined || x === 1) continue;
      const list = next.get(x) ?? [];
      list.push(item + 1);
      next.set(x, list);
    }
    const trans = new Map<number, number>();
    for (const [x, items] of next) {
      items.sort((a, b) => a - b);
      const key = keyOf(items);
      let target = index.get(key);
      if (target === undefined) {
        target = kernels.length;
        kernels.push(items);
        index.set(key, target);
      }
      trans.set(x, target);
    }
    transitions.push(trans);
  }

  // LALR lookaheads by spontaneous generation and propagation (bit 0 is the probe marker).
  const looks = kernels.map((k) => new Map(k.map((i) => [i, new Uint32Array(words)] as [number, Bits])));
  const links: { from: [number, number]; to: [number, number] }[] = [];
  for (let s = 0; s < kernels.length; s++) {
    for (const k of kernels[s] as number[]) {
      const probe = new Uint32Array(words);
      setBit(probe, 0);
      const cl = closure(new Map([[k, probe]]));
      for (const [item, la] of cl) {
        const r = rules[item >> 6] as { rhs: readonly number[] };
        const x = r.rhs[item & 63];
        if (x === undefined || x === 1) continue;
        const target = transitions[s]?.get(x) as number;
        const dest = looks[target]?.get(item + 1) as Bits;
        const spontaneous = Uint32Array.from(la);
        spontaneous[0] = (spontaneous[0] as number) & ~1;
        union(dest, spontaneous);
        if (((la[0] as number) & 1) !== 0) links.push({ from: [s, k], to: [target, item + 1] });
      }
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const l of links) {
      const src = looks[l.from[0]]?.get(l.from[1]) as Bits;
      const dst = looks[l.to[0]]?.get(l.to[1]) as Bits;
      changed = union(dst, src) || changed;
    }
  }

  // actions
  const acceptState = transitions[0]?.get(g.start) as number;
  const states: StateTable[] = [];
  for (let s = 0; s < kernels.length; s++) {
    const cl = closure(looks[s] as Map<number, Bits>);
    const trans = transitions[s] as Map<number, number>;
    const action = new Map<number, number>(); // >0 shift marker, <0 -rule, ACCEPT as 'accept'
    const shifts = new Map<number, number>();
    const gotos = new Map<number, number>();
    for (const [x, t] of trans) {
      if (isNT(x)) gotos.set(x, t);
      else {
        shifts.set(x, t);
        action.set(x, 1);
      }
    }
    let accepts = false;
    if (s === acceptState) accepts = true;
    const reduceItems = [...cl.entries()]
      .filter(([item]) => (rules[item >> 6] as { rhs: readonly number[] }).rhs.length === (item & 63))
      .sort((a, b) => a[0] - b[0]);
    for (const [item, la] of reduceItems) {
      const rule = item >> 6;
      if (rule === 0) continue;
      for (let t = 1; t <= T; t++) {
        if ((((la[t >> 5] as number) >>> (t & 31)) & 1) === 0) continue;
        const cur = action.get(t);
        if (cur === undefined) action.set(t, -rule);
        else if (cur < 0) {
          if (-cur > rule) action.set(t, -rule);
        } else {
          const tp = g.precedence.get(t);
          const rp = rulePrec[rule] as number;
          if (tp === undefined || rp === 0) continue;
          if (tp.level < rp || (tp.level === rp && tp.assoc === 'left')) {
            action.set(t, -rule);
            shifts.delete(t);
          }
        }
      }
    }
    // goyacc's wract: the most frequent reduction becomes the default.
    let lastRed = 0;
    let times = 0;
    for (let t = 0; t <= T; t++) {
      const a = action.get(t);
      if (a === undefined || a >= 0 || -a === lastRed) continue;
      let count = 0;
      for (const v of action.values()) if (v === a) count++;
      if (count > times) {
        lastRed = -a;
        times = count;
      }
    }
    if (shifts.has(ERROR_TOKEN)) lastRed = 0;
    const exceptions = new Map<number, number>();
    if (accepts) exceptions.set(1, ACCEPT);
    for (let t = 0; t <= T; t++) {
      const a = action.get(t);
      if (a !== undefined && a < 0 && -a !== lastRed) exceptions.set(t, -a);
    }
    states.push({ shifts, gotos, exceptions, hasExceptions: exceptions.size > 0, defaultRule: lastRed });
  }
  return { states, ruleLhs: rules.map((r) => r.lhs), ruleLength: rules.map((r) => r.rhs.length) };
}
