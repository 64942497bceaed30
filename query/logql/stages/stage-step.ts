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
 * `lineBytes` are the line's UTF-8 bytes while the line is the stored one (null once a stage has
 * rewritten it), so byte scanners need not encode the text again.
 */
export type Step = (line: string, lbs: LabelsBuilder, tsNs: bigint, lineBytes: Uint8Array | null) => string | null;

/** Run `steps` over a line whose stored bytes are `raw`: the final line, or null when a step drops the entry. */
export function runSteps(steps: readonly Step[], line: string, raw: Uint8Array, lbs: LabelsBuilder, tsNs: bigint): string | null {
  let bytes: Uint8Array | null = raw;
  for (const step of steps) {
    const next = step(line, lbs, tsNs, bytes);
    if (next === null) return null;
    if (next !== line) {
      line = next;
      bytes = null;
    }
  }
  return line;
}
