/**
 * Loki's grammar for the expressions of `| logfmt name="expression"` (`L:pkg/logql/log/logfmt`
 * lexer.go and logfmtexpr.y): a key (`[A-Za-z_][A-Za-z0-9_]*`) or quoted strings, so
 * `code="response.code"` is refused with `unexpected char .`. Pure.
 */

/** The error Loki's logfmt expression parser gives for `expr`, or null when it accepts it. */
export function logfmtExpressionError(expr: string): string | null {
  const isStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
  const isPart = (c: string) => isStart(c) || (c >= '0' && c <= '9');
  let tokens = 0;
  let i = 0;
  for (;;) {
    while (i < expr.length && (expr[i] === ' ' || expr[i] === '\t' || expr[i] === '\n')) i++;
    const c = expr[i];
    if (c === undefined || c === '\u0000') return null;
    if (isStart(c)) {
      // A key may only come first (`expressions: key | value | expressions value`).
      if (tokens > 0) return 'syntax error: unexpected KEY';
      while (i < expr.length && isPart(expr[i] as string)) i++;
    } else if (c === '"') {
      i++;
      while (i < expr.length && expr[i] !== '"' && expr[i] !== ']' && expr[i] !== '\u0000') i++;
      i++;
    } else {
      // The scanner stops at the first character it does not know; what came before still parses.
      return `unexpected char ${String.fromCodePoint(expr.codePointAt(i) ?? 0)}`;
    }
    tokens++;
  }
}
