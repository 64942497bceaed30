/**
 * What a compiled pipeline stage is: a function from the current line and label state to the new
 * line, or null to drop the entry, and the loop that runs them. Pure.
 */
import type { LabelsBuilder } from './labels-builder.js';

/** Per-query values stages may read. */
export interface StepContext {
  /** `now` for templates (nanoseconds); null means the entry's own timestamp. No clock is read. */
  readonly nowNs: bigint | null;
}

/**
 * One compiled stage: returns the (possibly rewritten) line, or null when the entry is filtered out.
 * While the line is the stored one its UTF-8 bytes are `lineBytes[from, to)` (a range of the block
 * it was stored in, so no view is made per line), and null once a stage has rewritten it; byte
 * scanners need not encode the text again. A stage marked `bytesOnly` reads only those bytes while
 * they are given: it is passed '' for the text, which is then never decoded for it, and it returns
 * that '' when it keeps the line.
 */
export type Step = ((line: string, lbs: LabelsBuilder, tsNs: bigint, lineBytes: Uint8Array | null, from: number, to: number) => string | null) & { bytesOnly?: boolean };

/** Mark a step as reading only the line's bytes while they are given. */
export function bytesOnly(step: Step): Step {
  step.bytesOnly = true;
  return step;
}

/** The line's bytes `lineBytes[from, to)` as a Buffer of their own (null when the line was rewritten; the array itself when it is all the line). */
export function lineView(lineBytes: Uint8Array | null, from: number, to: number): Buffer | null {
  if (lineBytes === null) return null;
  if (from === 0 && to === lineBytes.length && Buffer.isBuffer(lineBytes)) return lineBytes;
  return Buffer.from(lineBytes.buffer, lineBytes.byteOffset + from, to - from);
}

/**
 * Run `steps` over a line stored as raw[from, to) (whole `raw` by default; its text `text`, when
 * already decoded): the final line, null when a step drops the entry, or undefined when the line
 * is still the stored one and was never decoded (every step read bytes only).
 */
export function runSteps(steps: readonly Step[], raw: Uint8Array, text: string | null, lbs: LabelsBuilder, tsNs: bigint, from = 0, to = raw.length): string | null | undefined {
  let line = text;
  let bytes: Uint8Array | null = raw;
  for (const step of steps) {
    if (line === null && (bytes === null || step.bytesOnly !== true)) line = Buffer.from(raw.buffer, raw.byteOffset + from, to - from).toString('utf8');
    const input = line ?? '';
    const next = step(input, lbs, tsNs, bytes, from, to);
    if (next === null) return null;
    if (next !== input) {
      line = next;
      bytes = null;
    }
  }
  return line === null ? undefined : line;
}
