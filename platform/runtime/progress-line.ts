/**
 * A progress line for the operator commands, on stderr: rewritten in place on a terminal, and
 * printed as a plain line every few seconds when stderr is a file or a pipe.
 */

/** Where progress goes: a writable with an optional TTY flag. */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const TTY_EVERY_MS = 200;
const PLAIN_EVERY_MS = 5000;

/** A throttled, self-overwriting status line. */
export class ProgressLine {
  private lastMs = -Infinity;
  private shown = false;

  constructor(private readonly sink: ProgressSink) {}

  /** Show `text` unless a line was shown very recently (`force` shows it anyway). */
  update(text: string, force = false): void {
    const now = Date.now();
    const every = this.sink.isTTY ? TTY_EVERY_MS : PLAIN_EVERY_MS;
    if (!force && now - this.lastMs < every) return;
    this.lastMs = now;
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[K${text}`);
      this.shown = true;
    } else {
      this.sink.write(`${text}\n`);
    }
  }

  /** End the line (so later output starts on a fresh one). */
  finish(): void {
    if (this.shown) this.sink.write('\n');
    this.shown = false;
  }
}
