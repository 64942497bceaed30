/**
 * The write position of a push (read-your-writes): per partition, the offset just past the push's
 * last record there. Distributors answer it in the `X-Fjord-Write-Position` header; a query that
 * sends it back waits until the ingesters have consumed that far. Clients treat the text as opaque:
 * `v1.` then `<partition>-<offset>` pairs joined by `.` (`v1.0-1200.3-88`). Several positions (the
 * header repeated, or joined with `,`) read as one, the largest offset per partition. Pure.
 */
import { FjordError } from '../errors.js';

/** The header a push answers and a query sends back. */
export const WRITE_POSITION_HEADER = 'x-fjord-write-position';

/** partition → the offset that must be consumed. */
export type WritePosition = ReadonlyMap<number, number>;

const PAIR = /^(\d{1,9})-(\d{1,16})$/;

/** The header text of a position. */
export function encodeWritePosition(position: WritePosition): string {
  const pairs = [...position].sort(([a], [b]) => a - b).map(([p, o]) => `${p}-${o}`);
  return ['v1', ...pairs].join('.');
}

function invalid(text: string): FjordError {
  return new FjordError('bad_request', `invalid X-Fjord-Write-Position header ${JSON.stringify(text)}: send back the value a push answered`);
}

/** Read one or more positions (comma-separated); throws FjordError('bad_request') for anything else. */
export function decodeWritePosition(text: string): WritePosition {
  const out = new Map<number, number>();
  for (const one of text.split(',')) {
    const parts = one.trim().split('.');
    if (parts[0] !== 'v1') throw invalid(text);
    for (const pair of parts.slice(1)) {
      const m = PAIR.exec(pair);
      if (m === null) throw invalid(text);
      const p = Number(m[1]);
      const o = Number(m[2]);
      if (!Number.isSafeInteger(o)) throw invalid(text);
      out.set(p, Math.max(out.get(p) ?? 0, o));
    }
  }
  return out;
}
