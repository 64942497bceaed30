/** Fields of a log line for its expanded view: the line read as a JSON object, else as logfmt. */

/** The line's top-level JSON fields (nested values as JSON) or logfmt pairs; empty when neither. */
export function parseLineFields(line: string): Record<string, string> {
  const t = line.trim();
  if (t.startsWith('{')) {
    try {
      const obj = JSON.parse(t) as unknown;
      if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(obj)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
        return out;
      }
    } catch {
      // not JSON; try logfmt
    }
  }
  return parseLogfmt(t);
}

/** logfmt `a=1 b="two words" c` pairs; empty when the line has no `key=` at all. */
export function parseLogfmt(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (const m of line.matchAll(re)) {
    const raw = m[2] as string;
    out[m[1] as string] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  return out;
}
