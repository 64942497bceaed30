/**
 * Binary operations between step values with Loki's semantics (evaluator.go, MergeBinOp):
 * arithmetic (division or modulo by zero gives NaN), comparisons that filter unless `bool`,
 * vector matching with `on`/`ignoring` and `group_left`/`group_right`, and the set operators
 * `and`/`or`/`unless`. Pure.
 */
import { FjordError } from '../../../schemas/index.js';
import { formatLabels, type Label, type Labels } from '../../../schemas/labels/index.js';
import type { BinaryOp, VectorMatching } from '../ast.js';
import { foldLiterals } from '../syntax/nodes.js';
import type { StepSample } from './range-windows.js';
import { sample } from './vector-ops.js';

const COMPARISON: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '>=', '<', '<=']);

/** Loki's MergeBinOp for one pair: the resulting value, or null when a comparison filters it out. */
function merge(op: BinaryOp, l: number, r: number, returnBool: boolean, keep: number): number | null {
  const v = foldLiterals(op, l, r);
  if (!COMPARISON.has(op) || returnBool) return v;
  return v === 1 ? keep : null;
}

/** Vector op scalar (or scalar op vector when `scalarLeft`). */
export function vectorScalar(op: BinaryOp, vec: readonly StepSample[], scalar: number, scalarLeft: boolean, returnBool: boolean): StepSample[] {
  const out: StepSample[] = [];
  for (const s of vec) {
    const v = scalarLeft ? merge(op, scalar, s.value, returnBool, s.value) : merge(op, s.value, scalar, returnBool, s.value);
    if (v !== null) out.push({ key: s.key, labels: s.labels, value: v });
  }
  return out;
}

function signature(labels: Labels, m: VectorMatching): string {
  if (m.on) return formatLabels(labels.filter((l) => m.labels.includes(l.name)));
  return formatLabels(labels.filter((l) => !m.labels.includes(l.name)));
}

function resultLabels(lhs: Labels, rhs: Labels, m: VectorMatching): Labels {
  let out: Label[] = [...lhs];
  if (m.card === 'one-to-one') out = m.on ? out.filter((l) => m.labels.includes(l.name)) : out.filter((l) => !m.labels.includes(l.name));
  for (const name of m.include) {
    const v = rhs.find((l) => l.name === name)?.value ?? '';
    out = out.filter((l) => l.name !== name);
    if (v !== '') out.push({ name, value: v });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Vector op vector, including the set operators. */
export function vectorVector(op: BinaryOp, m: VectorMatching, returnBool: boolean, lhs0: readonly StepSample[], rhs0: readonly StepSample[]): StepSample[] {
  const lsigs = lhs0.map((s) => signature(s.labels, m));
  const rsigs = rhs0.map((s) => signature(s.labels, m));
  if (op === 'and' || op === 'unless') {
    if (lhs0.length === 0 || rhs0.length === 0) return op === 'and' ? [] : [...lhs0];
    const right = new Set(rsigs);
    return lhs0.filter((_s, i) => right.has(lsigs[i] as string) === (op === 'and'));
  }
  if (op === 'or') {
    if (lhs0.length === 0) return [...rhs0];
    if (rhs0.length === 0) return [...lhs0];
    const left = new Set(lsigs);
    return [...lhs0, ...rhs0.filter((_s, i) => !left.has(rsigs[i] as string))];
  }
  const swap = m.card === 'one-to-many';
  const [lhs, rhs, ls, rs] = swap ? [rhs0, lhs0, rsigs, lsigs] : [lhs0, rhs0, lsigs, rsigs];
  const rightBySig = new Map<string, StepSample>();
  rhs.forEach((s, i) => {
    const sig = rs[i] as string;
    if (rightBySig.has(sig)) {
      throw new FjordError('bad_request', `found duplicate series on the ${swap ? 'left' : 'right'} hand-side;many-to-many matching not allowed: matching labels must be unique on one side`);
    }
    rightBySig.set(sig, s);
  });
  const matched = new Map<string, Set<string>>();
  const out: StepSample[] = [];
  lhs.forEach((s, i) => {
    const sig = ls[i] as string;
    const r = rightBySig.get(sig);
    if (r === undefined) return;
    const labels = resultLabels(s.labels, r.labels, m);
    const inserted = matched.get(sig);
    if (m.card === 'one-to-one') {
      if (inserted !== undefined) throw new FjordError('bad_request', 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      matched.set(sig, new Set());
    } else {
      const k = formatLabels(labels);
      if (inserted?.has(k)) throw new FjordError('bad_request', 'multiple matches for labels: grouping labels must ensure unique matches');
      (inserted ?? matched.set(sig, new Set()).get(sig))?.add(k);
    }
    const [a, b] = swap ? [r, s] : [s, r];
    const v = merge(op, a.value, b.value, returnBool, a.value);
    if (v !== null) out.push(sample(labels, v));
  });
  return out;
}
