/**
 * Loki's `pattern` expressions (`<ip> - - [<_>] "<method> <path>"`): parsing into literals and
 * captures, validation with Loki's error texts, extraction for the `pattern` parser and the test
 * for `|>` / `!>` line filters (pkg/logql/log/pattern). Pure.
 */

/** A pattern node: literal text or a capture (`_` = unnamed). */
export type PatternNode = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'capture'; readonly name: string };

const IDENT = /^<([A-Za-z_][A-Za-z0-9_]*)>/;

/** Split a pattern into nodes (adjacent literal characters joined). */
export function parsePatternNodes(input: string): PatternNode[] {
  const out: PatternNode[] = [];
  let lit = '';
  let i = 0;
  while (i < input.length) {
    const m = input[i] === '<' ? IDENT.exec(input.slice(i)) : null;
    if (m !== null) {
      if (lit !== '') out.push({ kind: 'literal', text: lit });
      lit = '';
      out.push({ kind: 'capture', name: m[1] as string });
      i += m[0].length;
    } else {
      lit += input[i];
      i++;
    }
  }
  if (lit !== '') out.push({ kind: 'literal', text: lit });
  return out;
}

const show = (n: PatternNode): string => (n.kind === 'capture' ? `<${n.name}>` : n.text);

function consecutiveCaptureError(nodes: readonly PatternNode[]): string | null {
  for (let i = 0; i + 1 < nodes.length; i++) {
    const a = nodes[i] as PatternNode;
    const b = nodes[i + 1] as PatternNode;
    if (a.kind === 'capture' && b.kind === 'capture') return `found consecutive capture '${show(a)}${show(b)}': invalid expression`;
  }
  return null;
}

/** A compiled pattern. */
export interface PatternMatcher {
  readonly nodes: readonly PatternNode[];
  /** Named captures in order. */
  readonly names: readonly string[];
}

/** Compile a `pattern` parser expression; returns Loki's error text when invalid. */
export function compilePattern(input: string): { ok: true; matcher: PatternMatcher } | { ok: false; error: string } {
  const nodes = parsePatternNodes(input);
  const names = nodes.flatMap((n) => (n.kind === 'capture' && n.name !== '_' ? [n.name] : []));
  if (names.length === 0) return { ok: false, error: 'at least one capture is required' };
  const consecutive = consecutiveCaptureError(nodes);
  if (consecutive !== null) return { ok: false, error: consecutive };
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) return { ok: false, error: `duplicate capture name (${n}): invalid expression` };
    seen.add(n);
  }
  return { ok: true, matcher: { nodes, names } };
}

/** Compile a `|>` line filter pattern (captures must be `<_>`); returns Loki's error text when invalid. */
export function compileLineFilterPattern(input: string): { ok: true; nodes: PatternNode[] } | { ok: false; error: string } {
  if (input === '') return { ok: true, nodes: [] };
  const nodes = parsePatternNodes(input);
  const consecutive = consecutiveCaptureError(nodes);
  if (consecutive !== null) return { ok: false, error: consecutive };
  for (const n of nodes) {
    if (n.kind === 'capture' && n.name !== '_') return { ok: false, error: `named captures are not allowed: found '${show(n)}'` };
  }
  return { ok: true, nodes };
}

/** Values of the named captures of `m` in `line` (Loki's Matcher.Matches), or null when nothing matches. */
export function matchPattern(m: PatternMatcher, line: string): (string | undefined)[] | null {
  if (line.length === 0 || m.nodes.length === 0) return null;
  const out: string[] = [];
  let nodes = m.nodes;
  let rest = line;
  const head = nodes[0] as PatternNode;
  if (head.kind === 'literal') {
    if (!rest.startsWith(head.text)) return null;
    rest = rest.slice(head.text.length);
    nodes = nodes.slice(1);
  }
  if (nodes.length === 0) return null;
  let k = 0;
  while (k < nodes.length) {
    const capture = nodes[k] as PatternNode & { kind: 'capture' };
    if (k + 1 >= nodes.length) {
      if (capture.name !== '_') out.push(rest);
      return out;
    }
    const lit = (nodes[k + 1] as PatternNode & { kind: 'literal' }).text;
    k += 2;
    const i = rest.indexOf(lit);
    if (i < 0) {
      if (capture.name !== '_') out.push(rest);
      return out;
    }
    if (capture.name !== '_') out.push(rest.slice(0, i));
    rest = rest.slice(i + lit.length);
  }
  return out;
}

/** Loki's pattern line-filter test (Matcher.Test). */
export function testLineFilterPattern(nodes: readonly PatternNode[], line: string): boolean {
  if (line.length === 0 || nodes.length === 0) return line.length === 0 && nodes.length === 0;
  let off = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as PatternNode;
    if (n.kind !== 'literal') continue;
    const j = line.indexOf(n.text, off);
    if (j < 0) return false;
    if (i !== 0 && j === off) return false;
    off = j + n.text.length;
  }
  const endsWithCapture = (nodes[nodes.length - 1] as PatternNode).kind === 'capture';
  return endsWithCapture === (off !== line.length);
}
