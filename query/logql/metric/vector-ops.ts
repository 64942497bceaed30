/**
 * Per-step vector operations with Loki's semantics (pkg/logql/evaluator.go): vector aggregations
 * (`sum`, `avg`, `min`, `max`, `count`, `stddev`, `stdvar`, `topk`, `bottomk`, `sort`,
 * `sort_desc`, `approx_topk`) by/without labels, and `label_replace`. Pure.
 */
import { formatLabels, type Label, type Labels } from '../../../schemas/labels/index.js';
import type { Grouping, VectorOp } from '../ast.js';
import type { StepSample } from './range-windows.js';

const byName = (a: Label, b: Label): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** A sample with its key computed. */
export function sample(labels: Labels, value: number): StepSample {
  return { key: formatLabels(labels), labels, value };
}

interface Group {
  labels: Labels;
  value: number;
  mean: number;
  count: number;
  members: StepSample[];
}

/** Apply a vector aggregation to one step's vector. */
export function aggregateVector(op: VectorOp, param: number, grouping: Grouping, vec: readonly StepSample[]): StepSample[] {
  const groups = new Map<string, Group>();
  const names = [...grouping.labels].sort();
  for (const s of vec) {
    const labels = grouping.without ? s.labels.filter((l) => !names.includes(l.name)) : s.labels.filter((l) => names.includes(l.name));
    const key = formatLabels(labels);
    let g = groups.get(key);
    if (g === undefined) {
      g = { labels, value: op === 'stddev' || op === 'stdvar' ? 0 : s.value, mean: s.value, count: 1, members: [s] };
      groups.set(key, g);
      continue;
    }
    g.members.push(s);
    switch (op) {
      case 'sum': g.value += s.value; break;
      case 'avg': {
        g.count++;
        const inf = g.mean === Infinity || g.mean === -Infinity;
        if (inf && (((s.value === Infinity || s.value === -Infinity) && g.mean > 0 === s.value > 0) || Number.isFinite(s.value))) break;
        g.mean += (s.value - g.mean) / g.count;
        break;
      }
      case 'max': if (g.value < s.value || Number.isNaN(g.value)) g.value = s.value; break;
      case 'min': if (g.value > s.value || Number.isNaN(g.value)) g.value = s.value; break;
      case 'count': g.count++; break;
      case 'stddev':
      case 'stdvar': {
        g.count++;
        const delta = s.value - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (s.value - g.mean);
        break;
      }
      default: break;
    }
  }
  const out: StepSample[] = [];
  for (const g of groups.values()) {
    switch (op) {
      case 'avg': out.push(sample(g.labels, g.mean)); break;
      case 'count': out.push(sample(g.labels, g.count)); break;
      case 'stddev': out.push(sample(g.labels, Math.sqrt(g.value / g.count))); break;
      case 'stdvar': out.push(sample(g.labels, g.value / g.count)); break;
      case 'topk':
      case 'approx_topk':
      case 'sort_desc': {
        const sorted = [...g.members].sort((a, b) => (Number.isNaN(a.value) ? 1 : Number.isNaN(b.value) ? -1 : b.value - a.value));
        out.push(...(op === 'sort_desc' ? sorted : sorted.slice(0, param)));
        break;
      }
      case 'bottomk':
      case 'sort': {
        const sorted = [...g.members].sort((a, b) => (Number.isNaN(a.value) ? 1 : Number.isNaN(b.value) ? -1 : a.value - b.value));
        out.push(...(op === 'sort' ? sorted : sorted.slice(0, param)));
        break;
      }
      default: out.push(sample(g.labels, g.value));
    }
  }
  return out;
}

/** Prometheus' label_replace over one step's vector (`regex` anchored, `$1`/`${name}` expanded). */
export function labelReplace(vec: readonly StepSample[], dst: string, replacement: string, src: string, re: RegExp): StepSample[] {
  return vec.map((s) => {
    const value = s.labels.find((l) => l.name === src)?.value ?? '';
    const m = re.exec(value);
    if (m === null) return s;
    const res = replacement.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_x, whole: string, braced?: string, bare?: string) => {
      if (whole === '$') return '$';
      const name = braced ?? bare ?? '';
      return /^\d+$/.test(name) ? (m[Number(name)] ?? '') : (m.groups?.[name] ?? '');
    });
    const rest = s.labels.filter((l) => l.name !== dst);
    const labels = res === '' ? rest : [...rest, { name: dst, value: res }].sort(byName);
    return sample(labels, s.value);
  });
}
