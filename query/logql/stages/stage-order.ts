/**
 * Loki's stage reordering (MultiStageExpr.reorderStages): line filters move forward past parsers
 * and other label stages, but never past a label filter, a `line_format` or an `unpack`, which
 * may change what they would see. Pure.
 */
import type { Stage } from '../ast.js';

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
