/**
 * Query edits from clicks: a stream label goes into the query's first stream selector; a
 * structured metadata or parsed label becomes a label filter stage after it.
 */

/** A LogQL double-quoted string for `value`. */
export function quoteLogql(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Index of the first `{` outside a string, and of its closing `}`; null when there is none. */
function selectorBounds(query: string): { open: number; close: number } | null {
  let quote: string | null = null;
  let open = -1;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '{' && open < 0) open = i;
    else if (c === '}' && open >= 0) return { open, close: i };
  }
  return null;
}

/**
 * `query` with the matcher `name op "value"` in its first stream selector (the selector made
 * when there is none); unchanged when the matcher is already there.
 */
export function addSelectorMatcher(query: string, name: string, value: string, op: '=' | '!=' = '='): string {
  const matcher = `${name}${op}${quoteLogql(value)}`;
  const b = selectorBounds(query);
  if (b === null) return query.trim() === '' ? `{${matcher}}` : `{${matcher}} ${query.trim()}`;
  const inner = query.slice(b.open + 1, b.close);
  if (inner.replace(/\s+/g, '').split(',').includes(matcher)) return query;
  const sep = inner.trim() === '' ? '' : ', ';
  return `${query.slice(0, b.close).replace(/\s+$/, '')}${sep}${matcher}${query.slice(b.close)}`;
}

/** `query` with a label filter stage `| name op "value"` added after its log selector. */
export function addLabelFilter(query: string, name: string, value: string, op: '=' | '!=' = '='): string {
  const stage = `| ${name}${op}${quoteLogql(value)}`;
  if (query.includes(stage)) return query;
  return `${query.trimEnd()} ${stage}`;
}
