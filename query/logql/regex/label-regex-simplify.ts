/**
 * Whether Loki's regex simplifier (pkg/logql/log/filter.go RegexSimplifier) turns a label regex
 * into literal matching. Loki prints a label filter `name=~"re"` with backquotes when it does not,
 * so the printer needs the same answer. Pure.
 */
import type { ReNode } from './re2-ast.js';
import { parseRe2 } from './re2-parse.js';

function clearCapture(n: ReNode): ReNode {
  return n.op === 'capture' ? clearCapture(n.sub) : n;
}

const isAnyStar = (n: ReNode): boolean => n.op === 'star' && n.sub.op === 'anyCharNotNL';

/** Go's Regexp.Simplify for the repetitions the simplifier cares about. */
function goSimplify(n: ReNode): ReNode {
  switch (n.op) {
    case 'repeat': {
      const sub = goSimplify(n.sub);
      if (n.min === 0 && n.max < 0) return { op: 'star', greedy: n.greedy, sub };
      if (n.min === 1 && n.max < 0) return { op: 'plus', greedy: n.greedy, sub };
      if (n.min === 0 && n.max === 1) return { op: 'quest', greedy: n.greedy, sub };
      if (n.min === 1 && n.max === 1) return sub;
      return { ...n, sub };
    }
    case 'star':
    case 'plus':
    case 'quest':
      return { ...n, sub: goSimplify(n.sub) };
    case 'capture':
      return { ...n, sub: goSimplify(n.sub) };
    case 'concat':
    case 'alternate':
      return { ...n, subs: n.subs.map(goSimplify) };
    default:
      return n;
  }
}

function simplify(n: ReNode): boolean {
  switch (n.op) {
    case 'alternate': return n.subs.every((s) => simplify(clearCapture(s)));
    case 'concat': return simplifyConcat(n, false, false);
    case 'capture': return simplify(n.sub);
    case 'literal': return true;
    case 'star': return n.sub.op === 'anyCharNotNL';
    case 'plus': return n.sub.op === 'anyCharNotNL';
    case 'emptyMatch': return true;
    default: return false;
  }
}

function simplifyConcat(n: ReNode & { op: 'concat' }, hasBase0: boolean, baseFold0: boolean): boolean {
  const subs = n.subs.map(clearCapture).filter((s) => s.op !== 'emptyMatch');
  if (subs.length > 3) return false;
  let hasBase = hasBase0;
  let baseFold = baseFold0;
  let literals = 0;
  let hasCurr = false;
  for (const sub of subs) {
    if (sub.op === 'literal') {
      if (literals !== 0) return false;
      literals++;
      hasBase = true;
      baseFold = sub.fold;
      continue;
    }
    if (sub.op === 'alternate' && hasBase) {
      if (!simplifyConcatAlternate(sub, baseFold)) return false;
      hasCurr = true;
      continue;
    }
    if (isAnyStar(sub)) continue;
    return false;
  }
  return hasCurr || hasBase;
}

function simplifyConcatAlternate(n: ReNode & { op: 'alternate' }, baseFold: boolean): boolean {
  for (const alt0 of n.subs) {
    const alt = clearCapture(alt0);
    const altFold = alt.op === 'literal' && alt.fold;
    if (!baseFold && altFold) return false;
    if (alt.op === 'emptyMatch' || alt.op === 'literal') continue;
    if (alt.op === 'concat') {
      if (!simplifyConcat(alt, true, baseFold)) return false;
      continue;
    }
    if (isAnyStar(alt)) continue;
    return false;
  }
  return n.subs.length > 0;
}

/** True when Loki matches the label regex `pattern` without a regex engine (literal, contains, or). */
export function isSimplifiableLabelRegex(pattern: string): boolean {
  const parsed = parseRe2(pattern, { dotNL: false });
  if (!parsed.ok) return false;
  return simplify(goSimplify(parsed.regex.root));
}
