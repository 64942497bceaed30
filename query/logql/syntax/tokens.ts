/**
 * LogQL's terminal symbols, numbered as Loki's goyacc grammar numbers them (declaration order,
 * `$end` = 1), and the names its syntax errors print (`IDENTIFIER`, or the literal text such as
 * `}` and `ip` for tokens the lexer knows by text). Pure data.
 */

/** Terminal names in goyacc order; index + 1 is the token number. */
const DECLARED = [
  '$end', 'error', '$unk', 'BYTES', 'IDENTIFIER', 'STRING', 'NUMBER', 'FUNCTION_FLAG', 'DURATION', 'RANGE',
  'MATCHERS', 'LABELS', 'EQ', 'RE', 'NRE', 'NPA', 'OPEN_BRACE', 'CLOSE_BRACE', 'OPEN_BRACKET', 'CLOSE_BRACKET',
  'COMMA', 'DOT', 'PIPE_MATCH', 'PIPE_EXACT', 'PIPE_PATTERN', 'OPEN_PARENTHESIS', 'CLOSE_PARENTHESIS', 'BY',
  'WITHOUT', 'COUNT_OVER_TIME', 'RATE', 'RATE_COUNTER', 'SUM', 'SORT', 'SORT_DESC', 'AVG', 'MAX', 'MIN', 'COUNT',
  'STDDEV', 'STDVAR', 'BOTTOMK', 'TOPK', 'APPROX_TOPK', 'BYTES_OVER_TIME', 'BYTES_RATE', 'BOOL', 'JSON', 'REGEXP',
  'LOGFMT', 'PIPE', 'LINE_FMT', 'LABEL_FMT', 'UNWRAP', 'AVG_OVER_TIME', 'SUM_OVER_TIME', 'MIN_OVER_TIME',
  'MAX_OVER_TIME', 'STDVAR_OVER_TIME', 'STDDEV_OVER_TIME', 'QUANTILE_OVER_TIME', 'BYTES_CONV', 'DURATION_CONV',
  'DURATION_SECONDS_CONV', 'FIRST_OVER_TIME', 'LAST_OVER_TIME', 'ABSENT_OVER_TIME', 'VECTOR', 'LABEL_REPLACE',
  'UNPACK', 'OFFSET', 'PATTERN', 'IP', 'ON', 'IGNORING', 'GROUP_LEFT', 'GROUP_RIGHT', 'DECOLORIZE', 'DROP', 'KEEP',
  'OR', 'AND', 'UNLESS', 'CMP_EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'ADD', 'SUB', 'MUL', 'DIV', 'MOD', 'POW',
] as const;

/** A terminal's symbolic name. */
export type TokenName = (typeof DECLARED)[number];

/** Token number of each terminal. */
export const TOK = Object.fromEntries(DECLARED.map((n, i) => [n, i + 1])) as { readonly [K in TokenName]: number };

/** Number of terminals including `$end`, `error`, `$unk`. */
export const TERMINAL_COUNT = DECLARED.length;

/** Tokens the lexer recognises by their (lower-case) text, as Loki's `tokens` map. */
export const TEXT_TOKENS: ReadonlyMap<string, number> = new Map<string, number>([
  [',', TOK.COMMA], ['.', TOK.DOT], ['{', TOK.OPEN_BRACE], ['}', TOK.CLOSE_BRACE], ['=', TOK.EQ],
  ['!=', TOK.NEQ], ['=~', TOK.RE], ['!~', TOK.NRE], ['!>', TOK.NPA], ['|=', TOK.PIPE_EXACT], ['|~', TOK.PIPE_MATCH],
  ['|>', TOK.PIPE_PATTERN], ['|', TOK.PIPE], ['unwrap', TOK.UNWRAP], ['(', TOK.OPEN_PARENTHESIS],
  [')', TOK.CLOSE_PARENTHESIS], ['by', TOK.BY], ['without', TOK.WITHOUT], ['bool', TOK.BOOL], ['[', TOK.OPEN_BRACKET],
  [']', TOK.CLOSE_BRACKET], ['label_replace', TOK.LABEL_REPLACE], ['offset', TOK.OFFSET], ['on', TOK.ON],
  ['ignoring', TOK.IGNORING], ['group_left', TOK.GROUP_LEFT], ['group_right', TOK.GROUP_RIGHT], ['or', TOK.OR],
  ['and', TOK.AND], ['unless', TOK.UNLESS], ['+', TOK.ADD], ['-', TOK.SUB], ['*', TOK.MUL], ['/', TOK.DIV],
  ['%', TOK.MOD], ['^', TOK.POW], ['==', TOK.CMP_EQ], ['>', TOK.GT], ['>=', TOK.GTE], ['<', TOK.LT], ['<=', TOK.LTE],
  ['json', TOK.JSON], ['regexp', TOK.REGEXP], ['logfmt', TOK.LOGFMT], ['unpack', TOK.UNPACK], ['pattern', TOK.PATTERN],
  ['label_format', TOK.LABEL_FMT], ['line_format', TOK.LINE_FMT], ['ip', TOK.IP], ['decolorize', TOK.DECOLORIZE],
  ['drop', TOK.DROP], ['keep', TOK.KEEP],
]);

/** Tokens that are functions only when followed by `(` (or `by`/`without` then `(`), as Loki's `functionTokens`. */
export const FUNCTION_TOKENS: ReadonlyMap<string, number> = new Map<string, number>([
  ['rate', TOK.RATE], ['rate_counter', TOK.RATE_COUNTER], ['count_over_time', TOK.COUNT_OVER_TIME],
  ['bytes_rate', TOK.BYTES_RATE], ['bytes_over_time', TOK.BYTES_OVER_TIME], ['avg_over_time', TOK.AVG_OVER_TIME],
  ['sum_over_time', TOK.SUM_OVER_TIME], ['min_over_time', TOK.MIN_OVER_TIME], ['max_over_time', TOK.MAX_OVER_TIME],
  ['stdvar_over_time', TOK.STDVAR_OVER_TIME], ['stddev_over_time', TOK.STDDEV_OVER_TIME],
  ['quantile_over_time', TOK.QUANTILE_OVER_TIME], ['first_over_time', TOK.FIRST_OVER_TIME],
  ['last_over_time', TOK.LAST_OVER_TIME], ['absent_over_time', TOK.ABSENT_OVER_TIME], ['vector', TOK.VECTOR],
  ['sum', TOK.SUM], ['avg', TOK.AVG], ['max', TOK.MAX], ['min', TOK.MIN], ['count', TOK.COUNT], ['stddev', TOK.STDDEV],
  ['stdvar', TOK.STDVAR], ['bottomk', TOK.BOTTOMK], ['topk', TOK.TOPK], ['sort', TOK.SORT], ['sort_desc', TOK.SORT_DESC],
  ['label_replace', TOK.LABEL_REPLACE], ['approx_topk', TOK.APPROX_TOPK], ['bytes', TOK.BYTES_CONV],
  ['duration', TOK.DURATION_CONV], ['duration_seconds', TOK.DURATION_SECONDS_CONV], ['ip', TOK.IP],
]);

const DISPLAY: string[] = DECLARED.map((n) => n);
for (const [text, tok] of TEXT_TOKENS) DISPLAY[tok - 1] = text;

/** The name Loki's syntax errors print for a token number. */
export function tokenDisplayName(tok: number): string {
  return DISPLAY[tok - 1] ?? `tok-${tok}`;
}

/** Parser flags the lexer accepts after `logfmt`. */
export const PARSER_FLAGS: ReadonlySet<string> = new Set(['--strict', '--keep-empty']);
