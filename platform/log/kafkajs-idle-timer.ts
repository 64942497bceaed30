/**
 * A correction to kafkajs 2.2.4's request queue (tulios/kafkajs#1556, #1604, #1704, unfixed in
 * any release): after its first answer every broker connection re-arms a timer with a negative
 * delay (1 ms) for ever, to look at a pending queue that is empty, so an idle process spends a few
 * per cent of a core on it. The corrected check arms a timer only while requests are pending: for
 * the end of a client-side throttle, or in CHECK_PENDING_EVERY_MS as kafkajs does; a request
 * queued later arms it through the queue's push, and an answer runs the check itself.
 */
import { createRequire } from 'node:module';

/** The part of kafkajs's RequestQueue the check uses. */
interface RequestQueueState {
  readonly pending: readonly unknown[];
  readonly throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_EVERY_MS = 10;

function scheduleCheckPendingRequests(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId !== null || this.pending.length === 0) return;
  const untilUnthrottledMs = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, untilUnthrottledMs > 0 ? untilUnthrottledMs : CHECK_PENDING_EVERY_MS);
}

/** Put the corrected check into kafkajs's RequestQueue (once; later calls change nothing). */
export function correctKafkajsIdleTimer(): void {
  const require = createRequire(import.meta.url);
  const queue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: { scheduleCheckPendingRequests: unknown } };
  if (typeof queue.prototype.scheduleCheckPendingRequests !== 'function') throw new Error('kafkajs has no RequestQueue.scheduleCheckPendingRequests to correct');
  queue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
}
