/**
 * Produces to Kafka with one request in flight: produce calls that arrive while a request is
 * out are queued and go together in the next one (batching without a linger delay). Each
 * partition's share of a request stays under the topic's max message size. A call that is not
 * acknowledged within `write_timeout` fails with log_unavailable; queued calls that time out are
 * never sent.
 */
import kafkajs, { type Producer } from 'kafkajs';
import { FjordError, errorMessage } from '../../schemas/index.js';
import type { KafkaClientMetrics, ProduceFailureReason } from './kafka-metrics.js';
import type { ProduceRecord } from './partitioned-log.js';

const { CompressionTypes } = kafkajs;

interface Pending {
  readonly partition: number;
  readonly records: readonly ProduceRecord[];
  readonly bytes: number;
  taken: boolean;
  settled: boolean;
  resolve(offsets: number[]): void;
  reject(err: unknown): void;
}

/** Settings of the sender. */
export interface SenderOptions {
  readonly topic: string;
  readonly writeTimeoutMs: number;
  readonly maxBufferedBytes: number;
  readonly maxBatchBytes: () => number;
  readonly compression: 'none' | 'gzip';
}

/** Size of a record as it counts against batch and buffer limits. */
export function recordBytes(r: ProduceRecord): number {
  let n = r.value.length + (r.key?.length ?? 0) + 32;
  for (const [k, v] of Object.entries(r.headers ?? {})) n += k.length + v.length + 8;
  return n;
}

/** The coalescing producer of one topic. */
export class KafkaSender {
  private queue: Pending[] = [];
  private sending = false;
  private buffered = 0;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(
    private readonly producer: Producer,
    private readonly opts: SenderOptions,
    private readonly metrics: KafkaClientMetrics | null = null,
  ) {
    metrics?.setBufferedLimit(opts.maxBufferedBytes);
  }

  /** Bytes queued or in flight. */
  bufferedBytes(): number {
    return this.buffered;
  }

  produce(partition: number, records: readonly ProduceRecord[], signal?: AbortSignal): Promise<number[]> {
    const bytes = records.reduce((n, r) => n + recordBytes(r), 0);
    this.metrics?.produced(records.length);
    if (this.buffered + bytes > this.opts.maxBufferedBytes) {
      this.metrics?.produceFailed('buffer-full');
      return Promise.reject(new FjordError('log_unavailable', `producer buffer full (${this.buffered} bytes in flight, limit ${this.opts.maxBufferedBytes})`));
    }
    return new Promise<number[]>((resolve, reject) => {
      const item: Pending = {
        partition, records, bytes, taken: false, settled: false,
        resolve: (o) => settle(() => resolve(o)),
        reject: (e) => settle(() => reject(e)),
      };
      const fail = (why: string, reason: ProduceFailureReason) => {
        if (!item.taken) this.drop(item);
        if (!item.settled) this.metrics?.produceFailed(reason);
        item.reject(new FjordError('log_unavailable', why));
      };
      const timer = setTimeout(() => fail(`kafka did not acknowledge the produce within ${this.opts.writeTimeoutMs} ms`, 'timeout'), this.opts.writeTimeoutMs);
      const onAbort = () => fail('produce aborted', 'canceled');
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (f: () => void) => {
        if (item.settled) return;
        item.settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        f();
      };
      this.buffered += bytes;
      this.queue.push(item);
      if (!this.sending) void this.loop();
    });
  }

  private drop(item: Pending): void {
    const i = this.queue.indexOf(item);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.buffered -= item.bytes;
    }
  }

  /** Take queued calls for one request: per partition, whole calls up to the batch limit (at least one). */
  private take(): Pending[] {
    const limit = this.opts.maxBatchBytes();
    const perPartition = new Map<number, number>();
    const taken: Pending[] = [];
    const rest: Pending[] = [];
    const blocked = new Set<number>();
    for (const item of this.queue) {
      const used = perPartition.get(item.partition) ?? 0;
      if (!blocked.has(item.partition) && (used === 0 || used + item.bytes <= limit)) {
        perPartition.set(item.partition, used + item.bytes);
        item.taken = true;
        taken.push(item);
      } else {
        blocked.add(item.partition);
        rest.push(item);
      }
    }
    this.queue = rest;
    return taken;
  }

  private async loop(): Promise<void> {
    this.sending = true;
    this.idle = new Promise((r) => (this.markIdle = r));
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        await this.send(batch);
        for (const item of batch) this.buffered -= item.bytes;
      }
    } finally {
      this.sending = false;
      this.markIdle();
    }
  }

  private async send(batch: readonly Pending[]): Promise<void> {
    try {
      const result = await this.producer.send({
        topic: this.opts.topic,
        acks: -1,
        timeout: this.opts.writeTimeoutMs,
        compression: this.opts.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
        messages: batch.flatMap((item) =>
          item.records.map((r) => ({
            partition: item.partition,
            key: r.key ? Buffer.from(r.key) : null,
            value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
            headers: Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)])),
            ...(r.timestampMs !== undefined ? { timestamp: String(r.timestampMs) } : {}),
          })),
        ),
      });
      const next = new Map<number, number>();
      for (const m of result) next.set(m.partition, Number(m.baseOffset));
      for (const item of batch) {
        const base = next.get(item.partition);
        if (base === undefined) {
          if (!item.settled) this.metrics?.produceFailed('other');
          item.reject(new FjordError('log_unavailable', `kafka returned no offset for partition ${item.partition}`));
          continue;
        }
        item.resolve(item.records.map((_, i) => base + i));
        next.set(item.partition, base + item.records.length);
      }
    } catch (err) {
      const e = new FjordError('log_unavailable', `kafka produce failed: ${errorMessage(err)}`, { cause: err });
      const reason: ProduceFailureReason = (err as { type?: string }).type === 'MESSAGE_TOO_LARGE' ? 'record-too-large' : 'other';
      for (const item of batch) {
        if (!item.settled) this.metrics?.produceFailed(reason);
        item.reject(e);
      }
    }
  }

  /** Resolve once nothing is queued or in flight. */
  async drain(): Promise<void> {
    while (this.sending) await this.idle;
  }
}
