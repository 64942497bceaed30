/**
 * Whether an owned partition is caught up, and so may answer queries. A partition is not while it
 * replays after being assigned, while the consumer is not consuming (fetches failing, the consumer
 * crashed, restarting or re-joining), and after the consumer resumes until it has consumed up to
 * the partition's end offset as read at that moment. Both catch-ups follow Kafka's rule
 * `kafka_config.max_consumer_lag_at_startup`: a pass that took longer than that is followed by
 * another pass to the end offset seen when it finished. Pure: offsets and times are arguments.
 */

/** Where an owned partition stands. */
export interface CatchUp {
  /** Consume up to this offset before answering; null once caught up. */
  readonly target: number | null;
  /** When the current pass towards `target` started, ms. */
  readonly passStartMs: number;
  /**
   * The catch-up follows a consumer stop, not an assignment: its records are new (tails and rates
   * see them, no replay leniency), and readiness does not wait for it.
   */
  readonly afterStop: boolean;
  /** Why the consumer is not consuming the partition now; null while it consumes. */
  readonly stopped: string | null;
}

/** A partition just assigned, to be consumed from `start`; `end` is its end offset now. */
export function assignedCatchUp(start: number, end: number, nowMs: number): CatchUp {
  return { target: end > start ? end : null, passStartMs: nowMs, afterStop: false, stopped: null };
}

/** The consumer stopped consuming (`why`); a replay under way stays one. */
export function stoppedCatchUp(c: CatchUp, why: string): CatchUp {
  return { ...c, stopped: why };
}

/**
 * The consumer fetches again: catch up to `end` (the partition's end offset read now), or to the
 * replay's target when that is further. `consumed` is the next offset to consume.
 */
export function resumedCatchUp(c: CatchUp, consumed: number, end: number, nowMs: number): CatchUp {
  const target = Math.max(end, c.target ?? 0);
  const afterStop = c.target === null || c.afterStop;
  if (consumed >= target) return { target: null, passStartMs: nowMs, afterStop: false, stopped: null };
  return { target, passStartMs: nowMs, afterStop, stopped: null };
}

/**
 * After a batch consumed up to `consumed` (next offset) with the partition's end at `endOffset`:
 * the pass ends once `target` is reached; one that took longer than `maxLagMs` starts another pass
 * when the end moved past what is consumed.
 */
export function advancedCatchUp(c: CatchUp, consumed: number, endOffset: number, nowMs: number, maxLagMs: number): CatchUp {
  if (c.target === null || consumed < c.target) return c;
  if (nowMs - c.passStartMs > maxLagMs && endOffset > consumed) return { ...c, target: endOffset, passStartMs: nowMs };
  return { target: null, passStartMs: nowMs, afterStop: false, stopped: c.stopped };
}

/** True when the partition may answer queries. */
export function isCaughtUp(c: CatchUp): boolean {
  return c.target === null && c.stopped === null;
}

/** Why the partition may not answer queries (`consumed`: the next offset to consume), or null. */
export function notCaughtUpReason(c: CatchUp, consumed: number): string | null {
  if (c.stopped !== null) return `consumer not consuming: ${c.stopped}`;
  if (c.target === null) return null;
  return `${c.afterStop ? 'catching up after the consumer resumed' : 'replaying'} (offset ${consumed} of ${c.target})`;
}
