/**
 * A LogQL tokenizer for highlighting the query box: every character of the query falls in exactly
 * one token, so joining the tokens' text gives the query back. It only colours; the server's
 * parser (format_query) decides what is valid.
 */

/** What a token is drawn as. */
export type TokenKind =
  | 'string' | 'duration' | 'number' | 'operator' | 'brace' | 'keyword' | 'function' | 'label' | 'comment' | 'space' | 'other';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

const FUNCTIONS = new Set([
  'rate', 'rate_counter', 'count_over_time', 'bytes_rate', 'bytes_over_time', 'avg_over_time', 'sum_over_time',
  'min_over_time', 'max_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time',
  'first_over_time', 'last_over_time', 'absent_over_time', 'sum', 'avg', 'min', 'max', 'stddev', 'stdvar',
  'count', 'topk', 'bottomk', 'sort', 'sort_desc', 'approx_topk', 'label_replace', 'vector', 'duration',
  'duration_seconds', 'bytes',
]);

const KEYWORDS = new Set([
  'json', 'logfmt', 'regexp', 'pattern', 'unpack', 'line_format', 'label_format', 'drop', 'keep',
  'decolorize', 'unwrap', 'by', 'without', 'offset', 'and', 'or', 'unless', 'bool', 'on', 'ignoring',
  'group_left', 'group_right', 'ip',
]);

const OPERATORS = ['|=', '!=', '|~', '!~', '=~', '==', '>=', '<=', '|>', '!>', '||', '=', '>', '<', '|', '+', '-', '*', '/', '%', '^', ','];

/** Split `query` into tokens that cover it exactly. */
export function tokenizeLogql(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number) => {
    out.push({ kind, text: query.slice(i, end) });
    i = end;
  };
  while (i < query.length) {
    const c = query[i] as string;
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < query.length && /\s/.test(query[j] as string)) j++;
      push('space', j);
    } else if (c === '#') {
      const nl = query.indexOf('\n', i);
      push('comment', nl < 0 ? query.length : nl);
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      while (j < query.length && query[j] !== c) j += c === '"' && query[j] === '\\' ? 2 : 1;
      push('string', Math.min(j + 1, query.length));
    } else if (c === '[') {
      const close = query.indexOf(']', i);
      push('duration', close < 0 ? query.length : close + 1);
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9a-zA-Z.]*/.exec(query.slice(i)) as RegExpExecArray;
      push('number', i + m[0].length);
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(i)) as RegExpExecArray;
      const word = m[0];
      push(FUNCTIONS.has(word) ? 'function' : KEYWORDS.has(word) ? 'keyword' : 'label', i + word.length);
    } else if ('{}()'.includes(c)) {
      push('brace', i + 1);
    } else {
      const op = OPERATORS.find((o) => query.startsWith(o, i));
      push(op ? 'operator' : 'other', i + (op?.length ?? 1));
    }
  }
  return out;
}

/** The 1-based line and column in a Loki parse error (`parse error at line 1, col 14: …`), or null. */
export function errorPosition(message: string): { line: number; col: number } | null {
  const m = /line (\d+), col (\d+)/.exec(message);
  return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
}
