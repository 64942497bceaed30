/**
 * The Clock port: where components read the time, so that tests can fix it. Pure cores never read
 * a clock; they take the time (`nowMs`, `nowNs`) as an argument from the component that owns them.
 */

/** A source of the current time. */
export interface Clock {
  /** Unix time in milliseconds. */
  now(): number;
}

/** The system clock (`Date.now`). */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands at `ms` until moved (for tests). */
export class FixedClock implements Clock {
  constructor(private ms: number) {}

  now(): number {
    return this.ms;
  }

  /** Move the clock by `ms` milliseconds. */
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Wait `ms` milliseconds, or less when `signal` aborts first (never rejects). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
