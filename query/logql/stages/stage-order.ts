/**
 * Loki's stage reordering (MultiStageExpr.reorderStages): line filters move forward past parsers
 * and other label stages, but never past a label filter, a `line_format` or an `unpack`, which
 * may change what they would see. Pure.
 */
import type { Stage } from '../ast.js';
import { printStage } from '../print.js';

/** Stages in the order Loki executes them. */
export function reorderStages(stages: readonly Stage[]): Stage[] {
  const result: Stage[] = [];
  let lineFilters: Stage[] = [];
  let others: Stage[] = [];
  const combine = (): void => {
    result.push(...lineFilters, ...others);
    lineFilters = [];
    others = [];
  };
  for (const s of stages) {
    switch (s.kind) {
      case 'labelFilter':
        combine();
        result.push(s);
        break;
      case 'lineFilter':
        lineFilters.push(s);
        break;
      case 'lineFormat':
        others.push(s);
        combine();
        break;
      case 'unpack':
        others.push(s);
        combine();
        break;
      default:
        others.push(s);
    }
  }
  combine();
  return result;
}

/** How many stages at the start of the (reordered) list are line filters. */
export function leadingLineFilterCount(stages: readonly Stage[]): number {
  let n = 0;
  while (n < stages.length && stages[n]?.kind === 'lineFilter') n++;
  return n;
}

/**
 * Each line filter of reordered stages → the run of consecutive line filters it belongs to, as
 * Loki prints it: Loki combines such a run into one stage (`combineFilters`), so its errors name
 * the whole run (`stage '|= "x" |= ip("") or "y"' : …`).
 */
export function lineFilterRunNames(ordered: readonly Stage[]): Map<Stage, string> {
  const out = new Map<Stage, string>();
  for (let i = 0; i < ordered.length; ) {
    if (ordered[i]?.kind !== 'lineFilter') {
      i++;
      continue;
    }
    let j = i;
    while (j < ordered.length && ordered[j]?.kind === 'lineFilter') j++;
    const run = ordered.slice(i, j);
    const text = run.map(printStage).join(' ');
    for (const s of run) out.set(s, text);
    i = j;
  }
  return out;
}
