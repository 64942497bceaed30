/**
 * What a compiled pipeline stage is: a function from the current line and label state to the new
 * line, or null to drop the entry. Pure types.
 */
import type { LabelsBuilder } from './labels-builder.js';

/** Per-query values stages may read. */
export interface StepContext {
  /** `now` for templates (nanoseconds); null means the entry's own timestamp. No clock is read. */
  readonly nowNs: bigint | null;
}

/** One compiled stage: returns the (possibly rewritten) line, or null when the entry is filtered out. */
export type Step = (line: string, lbs: LabelsBuilder, tsNs: bigint) => string | null;
