/**
 * Block decompression on worker threads, so a query uses every core: the querier's thread keeps
 * filtering and evaluating while the workers decompress the next chunks. Each call goes to the
 * least busy worker; a worker that fails is replaced.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FjordError, type ChunkEncoding } from '../../schemas/index.js';

interface Pending {
  resolve(payloads: Uint8Array[]): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  busy: number;
  ready: Promise<void>;
}

const workerUrl = new URL('./decompress-worker.js', import.meta.url);

/** A pool of decompression threads. */
export class DecompressPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending & { slot: Slot }>();
  private nextId = 0;

  constructor(private readonly size = Math.max(1, availableParallelism())) {}

  private spawn(): Slot {
    const worker = new Worker(workerUrl);
    worker.unref();
    const slot: Slot = { worker, busy: 0, ready: Promise.resolve() };
    slot.ready = new Promise((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    worker.on('message', (msg: { id?: number; payloads?: Uint8Array[]; error?: string }) => {
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      slot.busy--;
      if (msg.error !== undefined) p.reject(new FjordError('chunk_corrupt', `block: decompression failed: ${msg.error}`));
      else p.resolve((msg.payloads ?? []).map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
    });
    worker.on('error', (err) => {
      for (const [id, p] of this.pending) {
        if (p.slot !== slot) continue;
        this.pending.delete(id);
        p.reject(err);
      }
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
    });
    return slot;
  }

  /** Start the worker threads (they load the codecs). */
  async start(): Promise<void> {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    await Promise.all(this.slots.map((s) => s.ready));
  }

  async stop(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const p of this.pending.values()) p.reject(new FjordError('aborted', 'decompression pool stopped'));
    this.pending.clear();
  }

  /** Decompress blocks of one encoding; `sizes` are their uncompressed sizes. */
  decompress(encoding: ChunkEncoding, blocks: readonly Uint8Array[], sizes: readonly number[]): Promise<Uint8Array[]> {
    const slot = this.slots.reduce<Slot | null>((best, s) => (best === null || s.busy < best.busy ? s : best), null);
    if (!slot) return Promise.reject(new FjordError('internal', 'decompression pool not started'));
    const id = this.nextId++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ id, encoding, blocks, sizes });
    });
  }
}
