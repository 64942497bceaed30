/**
 * A bound on push bytes in flight: a push past it waits (back-pressure) until earlier ones finish,
 * and gets 503 if that takes longer than its deadline, rather than being buffered without bound.
 */
import { FjordError } from '../../schemas/index.js';

interface Waiter {
  readonly bytes: number;
  readonly grant: () => void;
}

/** Counts bytes in flight against a maximum (0: unbounded). */
export class InflightBytes {
  private used = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly max: number) {}

  /** Bytes in flight now. */
  current(): number {
    return this.used;
  }

  /** Reserve `bytes`; resolves with the release, or rejects with server_overloaded after `timeoutMs`. */
  acquire(bytes: number, timeoutMs: number, signal?: AbortSignal): Promise<() => void> {
    const release = () => {
      this.used -= bytes;
      this.wake();
    };
    if (this.fits(bytes)) {
      this.used += bytes;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        bytes,
        grant: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', giveUp);
          this.used += bytes;
          resolve(once(release));
        },
      };
      const giveUp = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new FjordError('server_overloaded', 'The server cannot accept more requests at this time.'));
      };
      const timer = setTimeout(giveUp, timeoutMs);
      signal?.addEventListener('abort', giveUp, { once: true });
      this.waiters.push(waiter);
    });
  }

  private fits(bytes: number): boolean {
    return this.max === 0 || this.used === 0 || this.used + bytes <= this.max;
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.fits((this.waiters[0] as Waiter).bytes)) {
      (this.waiters.shift() as Waiter).grant();
    }
  }
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      f();
    }
  };
}
