/**
 * What a PromQL expression reads: the metric names it selects and the label names it matches or
 * groups by. A tokenizer, not a parser: string literals, ranges and grouping clauses are taken
 * out, and what is left that is neither a function, a keyword nor a number is a metric name.
 * Also a reader of Prometheus' text exposition format (metric families and label names seen).
 */

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2']);
const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;

/** The metric and label names an expression uses. */
export interface ExpressionNames {
  readonly metrics: string[];
  readonly labels: string[];
}

/** Metric names and label names of a PromQL expression. Throws for unbalanced brackets. */
export function promqlNames(expr: string): ExpressionNames {
  let rest = expr.replace(/#[^\n]*/g, ' ').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  for (const [open, close] of [['(', ')'], ['{', '}'], ['[', ']']] as const) {
    if (rest.split(open).length !== rest.split(close).length) throw new Error(`unbalanced ${open}${close} in ${expr}`);
  }
  const labels = new Set<string>();
  rest = rest.replace(/\{([^}]*)\}/g, (_m, inner: string) => {
    for (const m of inner.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) labels.add(m[1] as string);
    return ' ';
  });
  rest = rest.replace(GROUPING, (_m, _kw: string, inner: string) => {
    for (const l of inner.split(',')) if (l.trim() !== '') labels.add(l.trim());
    return ' ';
  });
  rest = rest.replace(/\[[^\]]*\]/g, ' ').replace(/\b(\d+(ms|[smhdwy]))+\b/g, ' ').replace(/\b\d+(\.\d+)?([eE][-+]?\d+)?\b/g, ' ');
  const metrics = new Set<string>();
  for (const m of rest.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)) {
    const name = m[1] as string;
    if (m[2] !== undefined || KEYWORDS.has(name)) continue;
    metrics.add(name);
  }
  return { metrics: [...metrics], labels: [...labels] };
}

/** A scrape: each metric family's type, and the label names seen on each sample name. */
export interface Scrape {
  readonly families: ReadonlyMap<string, string>;
  readonly sampleLabels: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Read Prometheus' text format. */
export function parseExposition(text: string): Scrape {
  const families = new Map<string, string>();
  const sampleLabels = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) families.set(type[1] as string, type[2] as string);
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?/.exec(line);
    if (!m) continue;
    const set = sampleLabels.get(m[1] as string) ?? new Set<string>();
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) set.add(l[1] as string);
    sampleLabels.set(m[1] as string, set);
  }
  return { families, sampleLabels };
}

/** The family a sample name belongs to (`x_bucket` of histogram `x` is `x`), or null when none does. */
export function familyOf(scrape: Scrape, name: string): string | null {
  if (scrape.families.has(name)) return name;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (m && ['histogram', 'summary'].includes(scrape.families.get(m[1] as string) ?? '')) return m[1] as string;
  return null;
}
