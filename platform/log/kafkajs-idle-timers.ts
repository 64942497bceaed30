/**
 * Corrections to kafkajs 2.2.4's request queue, whose timers keep an idle process awake:
 * - After its first answer every broker connection re-arms a timer with a negative delay (1 ms)
 *   for ever, to look at a pending queue that is empty (tulios/kafkajs#1556, #1604, #1704, unfixed
 *   in any release), a few per cent of a core. The corrected check arms a timer only while
 *   requests are pending: for the end of a client-side throttle, or in CHECK_PENDING_EVERY_MS as
 *   kafkajs does; a request queued later arms it through the queue's push, and an answer runs the
 *   check itself.
 * - Every connection looks for requests past their timeout ten times a second. Fjord's request
 *   timeouts are 30 s or more, so looking once a second (REQUEST_TIMEOUT_CHECK_EVERY_MS) times a
 *   request out at most a second late and wakes the process a tenth as often.
 */
import { createRequire } from 'node:module';

/** The part of kafkajs's RequestQueue the checks use. */
interface RequestQueueState {
  readonly pending: readonly unknown[];
  readonly inflight: ReadonlyMap<number, { readonly sentAt: number; readonly requestTimeout: number; timeoutRequest(): void }>;
  readonly throttledUntil: number;
  readonly enforceRequestTimeout: boolean;
  readonly requestTimeout: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeoutIntervalId: NodeJS.Timeout | undefined;
  checkPendingRequests(): void;
  isConnected(): boolean;
  destroy(): void;
}

/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_EVERY_MS = 10;
/** How often a connection looks for requests past their timeout (kafkajs: every 100 ms). */
export const REQUEST_TIMEOUT_CHECK_EVERY_MS = 1000;

function scheduleCheckPendingRequests(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId !== null || this.pending.length === 0) return;
  const untilUnthrottledMs = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, untilUnthrottledMs > 0 ? untilUnthrottledMs : CHECK_PENDING_EVERY_MS);
}

function scheduleRequestTimeoutCheck(this: RequestQueueState): void {
  if (!this.enforceRequestTimeout) return;
  this.destroy();
  this.requestTimeoutIntervalId = setInterval(() => {
    const now = Date.now();
    for (const request of this.inflight.values()) if (now - request.sentAt > request.requestTimeout) request.timeoutRequest();
    if (!this.isConnected()) this.destroy();
  }, Math.min(this.requestTimeout, REQUEST_TIMEOUT_CHECK_EVERY_MS));
}

/** Put the corrected checks into kafkajs's RequestQueue (once; later calls change nothing). */
export function correctKafkajsIdleTimers(): void {
  const require = createRequire(import.meta.url);
  const queue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: Record<string, unknown> };
  for (const name of ['scheduleCheckPendingRequests', 'scheduleRequestTimeoutCheck']) {
    if (typeof queue.prototype[name] !== 'function') throw new Error(`kafkajs has no RequestQueue.${name} to correct`);
  }
  queue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  queue.prototype.scheduleRequestTimeoutCheck = scheduleRequestTimeoutCheck;
}
