/**
 * The label names a hinted parser extracts, and telling from a key's bytes which of them it
 * sanitises to (sanitizeLabelKey: `_` before a leading digit, `_` for each character outside
 * [A-Za-z0-9_]) without making the key a string. Shared by `| json` and `| logfmt`. Pure.
 */

/** True for a byte of [A-Za-z0-9_]. */
export function isLabelByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** The labels a hinted parser extracts, and which first bytes a key sanitising to one of them may have. */
export interface KeyNames {
  readonly names: readonly string[];
  /**
   * 1 for a byte a key's first byte may be: one sanitising to a name's first character, every
   * space or non-ASCII byte (trimmed or decoded first), and a backslash (an escape may spell any).
   */
  readonly mayStart: Uint8Array;
}

/** `names` with their first-byte table. */
export function keyNames(names: readonly string[]): KeyNames {
  const mayStart = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    const first = isLabelByte(c) ? c : 0x5f;
    const digit = c >= 0x30 && c <= 0x39;
    mayStart[c] = c <= 0x20 || c >= 0x7f || c === 0x5c || names.some((n) => n.charCodeAt(0) === first || (digit && n.charCodeAt(0) === 0x5f)) ? 1 : 0;
  }
  return { names, mayStart };
}

/** Which of the names the non-empty, printable-ASCII key b[start, end) sanitises to, or null. */
export function asciiKeyName(b: Uint8Array, start: number, end: number, keys: KeyNames): string | null {
  const c0 = b[start] as number;
  const lead = c0 >= 0x30 && c0 <= 0x39 ? 1 : 0;
  for (const n of keys.names) {
    if (n.length !== end - start + lead || (lead === 1 && n.charCodeAt(0) !== 0x5f)) continue;
    let same = true;
    for (let i = start; i < end && same; i++) {
      const c = b[i] as number;
      same = n.charCodeAt(i - start + lead) === (isLabelByte(c) ? c : 0x5f);
    }
    if (same) return n;
  }
  return null;
}
