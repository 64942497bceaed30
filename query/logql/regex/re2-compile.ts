/**
 * Go regexes run on the JS engine: a parsed Go regex is emitted as an equivalent `u`-mode JS
 * RegExp (Go's `.`, `\s`, `^`/`$` and case folding spelled out), and a literal every match must
 * contain is extracted for a cheap pre-check. Pure.
 */
import { foldOrbit } from './char-classes.js';
import type { CharRange, ParsedRegex, ReNode } from './re2-ast.js';
import { parseRe2 } from './re2-parse.js';

/** A compiled Go regex. */
export interface GoRegex {
  /** The JS equivalent (flag `u`; `y`/`g` never set). */
  readonly re: RegExp;
  /** Capture names by group index (index 0 unused, '' for unnamed groups). */
  readonly captureNames: readonly string[];
  /** A literal that occurs in every match, or '' when none is known. */
  readonly requiredLiteral: string;
  readonly parsed: ParsedRegex;
}

/** Result of compiling: the regex, or Go's error text. */
export type GoRegexResult = { readonly ok: true; readonly regex: GoRegex } | { readonly ok: false; readonly error: string };

const SAFE = /^[A-Za-z0-9 _,:;'"<>=@#%&~`/-]$/u;

function escapeRune(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return SAFE.test(ch) ? ch : `\\u{${cp.toString(16)}}`;
}

function classBody(ranges: readonly CharRange[]): string {
  let out = '';
  for (const [lo, hi] of ranges) {
    out += `\\u{${lo.toString(16)}}`;
    if (hi > lo) out += `-\\u{${hi.toString(16)}}`;
  }
  return out;
}

function literalRune(cp: number, fold: boolean): string {
  if (!fold) return escapeRune(cp);
  const orbit = foldOrbit(cp);
  if (orbit.length === 1) return escapeRune(cp);
  return '[' + orbit.map((c) => `\\u{${c.toString(16)}}`).join('') + ']';
}

function needsGroup(n: ReNode): boolean {
  return (n.op === 'literal' && n.runes.length > 1) || n.op === 'concat' || n.op === 'alternate' || n.op === 'star' || n.op === 'plus' || n.op === 'quest' || n.op === 'repeat' || n.op === 'emptyMatch';
}

/** JS source of a Go regex tree (to be compiled with the `u` flag). */
export function emitJs(n: ReNode): string {
  switch (n.op) {
    case 'literal':
      return n.runes.map((r) => literalRune(r, n.fold)).join('');
    case 'class': {
      if (n.props.length === 0) return n.ranges.length === 0 ? '[]' : `[${classBody(n.ranges)}]`;
      return `[${n.negated ? '^' : ''}${classBody(n.ranges)}${n.props.join('')}]`;
    }
    case 'anyCharNotNL': return '[^\\n]';
    case 'anyChar': return '[^]';
    case 'beginText': return '^';
    case 'endText': return '$';
    case 'beginLine': return '(?<![^\\n])';
    case 'endLine': return '(?![^\\n])';
    case 'wordBoundary': return '\\b';
    case 'noWordBoundary': return '\\B';
    case 'emptyMatch': return '(?:)';
    case 'capture': return `(${emitJs(n.sub)})`;
    case 'star':
    case 'plus':
    case 'quest':
    case 'repeat': {
      const inner = needsGroup(n.sub) ? `(?:${emitJs(n.sub)})` : emitJs(n.sub);
      let q: string;
      if (n.op === 'star') q = '*';
      else if (n.op === 'plus') q = '+';
      else if (n.op === 'quest') q = '?';
      else if (n.op === 'repeat') q = n.max < 0 ? `{${n.min},}` : n.max === n.min ? `{${n.min}}` : `{${n.min},${n.max}}`;
      else q = '';
      return inner + q + (n.greedy ? '' : '?');
    }
    case 'concat': return n.subs.map((s) => (s.op === 'alternate' ? `(?:${emitJs(s)})` : emitJs(s))).join('');
    case 'alternate': return n.subs.map(emitJs).join('|');
  }
}

/** The longest case-sensitive literal that every match contains, or ''. */
export function requiredLiteralOf(n: ReNode): string {
  if (n.op === 'literal') return n.fold ? '' : String.fromCodePoint(...n.runes);
  if (n.op === 'capture') return requiredLiteralOf(n.sub);
  if (n.op === 'plus') return requiredLiteralOf(n.sub);
  if (n.op === 'repeat' && n.min > 0) return requiredLiteralOf(n.sub);
  if (n.op === 'concat') {
    let best = '';
    for (const s of n.subs) {
      const lit = requiredLiteralOf(s);
      if (lit.length > best.length) best = lit;
    }
    return best;
  }
  return '';
}

/**
 * Compile a Go regex. `anchored` wraps it as `^(?:…)$` the way Loki anchors label matchers;
 * `dotNL` is Go's `s` flag from the start (Prometheus matchers set it).
 */
export function compileGoRegex(pattern: string, opts: { readonly dotNL: boolean; readonly anchored: boolean }): GoRegexResult {
  const parsed = parseRe2(pattern, { dotNL: opts.dotNL });
  if (!parsed.ok) return parsed;
  const body = emitJs(parsed.regex.root);
  const source = opts.anchored ? `^(?:${body})$` : body;
  let re: RegExp;
  try {
    re = new RegExp(source, 'u');
  } catch (err) {
    return { ok: false, error: `error parsing regexp: ${err instanceof Error ? err.message : String(err)}` };
  }
  return {
    ok: true,
    regex: { re, captureNames: ['', ...parsed.regex.captureNames], requiredLiteral: requiredLiteralOf(parsed.regex.root), parsed: parsed.regex },
  };
}
