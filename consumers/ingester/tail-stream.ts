/**
 * One live tail's HTTP answer (`GET /ingester/internal/tail`, FORMATS.md §8): newline-delimited
 * JSON, first the partitions this ingester feeds, then one line per appended batch. When the
 * querier reads slower than entries arrive, batches queue up to a byte bound; past it they are
 * dropped and reported in a `dropped` line (Loki's dropped streams), and a tail that stays blocked
 * for 15 s is ended, as Loki's ingester tailer is. A quiet stream carries a `{}` keep-alive line
 * every few seconds, so the querier can tell a silent tail from a dead connection.
 */
import type { ServerResponse } from 'node:http';
import type { LiveTails, TailBatch, TailSubscriber } from './live-tails.js';
import type { EqualityMatchers } from './recent-data.js';

/** Bytes of answer lines held while the socket is not writable. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** Dropped entries reported in one line at most (Loki's maxDroppedEntriesPerTailResponse). */
const MAX_DROPPED = 1000;
/** A tail blocked this long is ended (Loki's ingester tailer: 15 s). */
const MAX_BLOCKED_MS = 15_000;
/** A stream with nothing else to send gets a keep-alive line this often. */
export const KEEP_ALIVE_MS = 5000;

const decoder = new TextDecoder();

/** One batch as an answer line. */
export function encodeTailBatch(b: TailBatch): string {
  const entries = b.entries.map((e) => {
    const line = decoder.decode(e.line);
    return e.structuredMetadata.length === 0 ? [String(e.tsNs), line] : [String(e.tsNs), line, e.structuredMetadata.map((l) => [l.name, l.value])];
  });
  return `${JSON.stringify({ labels: b.labelsText, entries })}\n`;
}

/** What a tail request asks for. */
export interface TailStreamRequest {
  readonly tenant: string;
  readonly matchers: EqualityMatchers;
  /** The requested partitions this ingester owns now. */
  readonly partitions: readonly number[];
}

/** Serve one live tail on `res` until the querier goes away or the ingester ends it. */
export function serveTailStream(res: ServerResponse, req: TailStreamRequest, tails: LiveTails, nowMs: () => number): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  res.flushHeaders();
  const queue: string[] = [];
  let queuedBytes = 0;
  let writable = res.write(`${JSON.stringify({ partitions: req.partitions })}\n`);
  let dropped: Array<[string, string]> = [];
  let blockedSinceMs: number | null = null;
  let ended = false;
  let wroteSinceKeepAlive = true;

  const pump = (): void => {
    wroteSinceKeepAlive = true;
    while (writable && queue.length > 0) {
      const line = queue.shift() as string;
      queuedBytes -= line.length;
      writable = res.write(line);
    }
    if (writable && dropped.length > 0) {
      writable = res.write(`${JSON.stringify({ dropped })}\n`);
      dropped = [];
    }
    if (writable && queue.length === 0) blockedSinceMs = null;
  };

  const sub: TailSubscriber = {
    tenant: req.tenant,
    matchers: req.matchers,
    partitions: new Set(req.partitions),
    deliver(batch) {
      if (ended) return;
      const line = encodeTailBatch(batch);
      if (queuedBytes + line.length > MAX_QUEUED_BYTES) {
        blockedSinceMs ??= nowMs();
        for (const e of batch.entries) if (dropped.length < MAX_DROPPED) dropped.push([batch.labelsText, String(e.tsNs)]);
        if (nowMs() - blockedSinceMs > MAX_BLOCKED_MS) sub.end('the tail was blocked too long');
        return;
      }
      queue.push(line);
      queuedBytes += line.length;
      pump();
    },
    end() {
      if (ended) return;
      ended = true;
      clearInterval(keepAlive);
      unsubscribe();
      for (const line of queue.splice(0)) res.write(line);
      res.end();
    },
  };
  const keepAlive = setInterval(() => {
    if (!wroteSinceKeepAlive && writable && queue.length === 0) writable = res.write('{}\n');
    wroteSinceKeepAlive = false;
  }, KEEP_ALIVE_MS);
  const unsubscribe = tails.subscribe(sub);
  res.on('drain', () => {
    writable = true;
    pump();
  });
  res.on('close', () => {
    ended = true;
    clearInterval(keepAlive);
    unsubscribe();
  });
}
