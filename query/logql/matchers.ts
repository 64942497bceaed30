/**
 * Compiled label matchers with Prometheus' semantics, as Loki uses them for stream selectors:
 * regexes are fully anchored and `.` matches newlines (`^(?s:…)$`); literal alternations are
 * matched by set lookup. Pure.
 */
import { FjordError } from '../../schemas/index.js';
import type { Matcher } from './ast.js';
import { compileGoRegex } from './regex/re2-compile.js';

/** A matcher with its compiled test. */
export interface CompiledMatcher extends Matcher {
  /** True when a label value (missing labels have the value '') satisfies the matcher. */
  matches(value: string): boolean;
}

const PLAIN_ALTERNATION = /^[^\\^$.|?*+()[\]{}]+(?:\|[^\\^$.|?*+()[\]{}]+)*$/;

/** Compile a regex the way Prometheus' FastRegexMatcher does; returns Go's error text on failure. */
export function compileAnchoredRegex(value: string): { ok: true; test: (v: string) => boolean } | { ok: false; error: string } {
  if (value === '.*') return { ok: true, test: () => true };
  if (value === '.+') return { ok: true, test: (v) => v.length > 0 };
  if (PLAIN_ALTERNATION.test(value)) {
    const set = new Set(value.split('|'));
    return { ok: true, test: (v) => set.has(v) };
  }
  const r = compileGoRegex(value, { dotNL: true, anchored: true });
  if (!r.ok) return r;
  const re = r.regex.re;
  return { ok: true, test: (v) => re.test(v) };
}

/** Compile a matcher; throws FjordError('bad_request') with Go's regex error text. */
export function compileMatcher(m: Matcher): CompiledMatcher {
  switch (m.type) {
    case '=': return { ...m, matches: (v) => v === m.value };
    case '!=': return { ...m, matches: (v) => v !== m.value };
    case '=~':
    case '!~': {
      const r = compileAnchoredRegex(m.value);
      if (!r.ok) throw new FjordError('bad_request', r.error);
      const test = r.test;
      return m.type === '=~' ? { ...m, matches: test } : { ...m, matches: (v) => !test(v) };
    }
  }
}
