/**
 * Processing delete requests in a compaction round (the leader, with `retention_enabled`): the due
 * pieces (delete-plan.ts, at most `delete_batch_size`) are applied tenant by tenant. For a tenant,
 * every table overlapping a piece is read; each chunk ref a piece selects is dropped (a piece
 * without line filters covering the whole chunk) or its chunk is rewritten without the deleted
 * entries and uploaded under its new content key. Then every table holding a replaced chunk (a
 * chunk is indexed in each period it overlaps) gets a replacing bundle, uploaded before anything
 * is deleted; the old chunk objects go into a retention mark (deleted `retention_delete_delay`
 * later, when no querier reads them any more); then the replaced bundles are deleted and the
 * pieces marked processed. Until then queriers filter the deleted lines; a round that fails or is
 * aborted leaves the pieces for the next one (uploads are content-addressed, so nothing doubles).
 */
import { errorMessage, isFjordError, type CodecSet } from '../../schemas/index.js';
import type { FjordConfig, Limits } from '../../schemas/config/index.js';
import { decodeChunk } from '../../schemas/chunk/index.js';
import {
  chunkRefOf, deleteProcessedKey, encodeIndexBundle, indexBundleKey, indexBundlePrefix, indexPeriodsOverlapping, parseChunkKey,
  unionIndexBundles, type ChunkRef, type IndexBundleInput,
} from '../../schemas/index/index.js';
import type { CompiledLogSelector, Labels } from '../../schemas/labels/index.js';
import { listAll, mapLimit, type DeleteRequestReader, type Logger, type ObjectStore } from '../../platform/index.js';
import { duePieces, refAction, refKey, replaceRefs, rewriteChunk, type ActiveDelete, type DeletePiece } from './delete-plan.js';
import { writeRetentionMark } from './retention-sweep.js';
import { compactedBundleId } from './merge-bundles.js';
import type { CompactorMetrics } from './metrics.js';

/** What the processor uses. */
export interface DeleteProcessorDeps {
  readonly cfg: FjordConfig['compactor'];
  readonly limits: Limits;
  readonly store: ObjectStore;
  readonly reader: DeleteRequestReader;
  readonly codecs: CodecSet;
  /** A delete query compiled (cached by the caller). */
  readonly selector: (query: string) => CompiledLogSelector;
  readonly metrics: CompactorMetrics;
  readonly logger: Logger;
}

/** What a round of delete processing did. */
export interface DeleteRoundReport {
  readonly piecesProcessed: number;
  readonly chunksRewritten: number;
  readonly chunksDropped: number;
  readonly linesDeleted: number;
  readonly tenantsFailed: number;
}

/** Chunks fetched and rewritten at once. */
const CHUNK_PARALLELISM = 8;

interface Table {
  readonly period: number;
  readonly inputs: readonly string[];
  readonly union: IndexBundleInput;
}

class InputVanished extends Error {}

/** Applies due delete request pieces to the store. */
export class DeleteProcessor {
  constructor(private readonly deps: DeleteProcessorDeps) {}

  /** One round: load the requests, apply the due pieces, mark them. Rejects when the requests cannot be listed. */
  async run(nowMs: number, signal: AbortSignal): Promise<DeleteRoundReport> {
    const { cfg, metrics, limits } = this.deps;
    let requests;
    try {
      requests = await this.deps.reader.list(undefined, signal);
      metrics.loadPendingRequests.inc({ status: 'success' });
    } catch (err) {
      metrics.loadPendingRequests.inc({ status: 'fail' });
      throw err;
    }
    const due = duePieces(requests, nowMs, cfg.delete_request_cancel_period, (t) => limits.forTenant(t).deletion_mode === 'filter-and-delete');
    metrics.pendingDeleteRequests.set(new Set(due.map((p) => `${p.tenant}/${p.requestId}`)).size);
    const oldest = due.reduce((m, p) => Math.min(m, p.createdAtMs), Infinity);
    metrics.oldestPendingDeleteRequestAge.set(Number.isFinite(oldest) ? Math.max(0, (nowMs - oldest - cfg.delete_request_cancel_period) / 1000) : 0);
    const batch = due.slice(0, cfg.delete_batch_size);
    const report = { piecesProcessed: 0, chunksRewritten: 0, chunksDropped: 0, linesDeleted: 0, tenantsFailed: 0 };
    const byTenant = new Map<string, DeletePiece[]>();
    for (const p of batch) byTenant.set(p.tenant, [...(byTenant.get(p.tenant) ?? []), p]);
    for (const [tenant, pieces] of byTenant) {
      if (signal.aborted) break;
      try {
        await this.applyTenant(tenant, pieces, nowMs, signal, report);
      } catch (err) {
        report.tenantsFailed++;
        if (signal.aborted) break;
        metrics.deleteFailures.inc({ cause: err instanceof InputVanished ? 'index_changed' : 'error' });
        this.deps.logger.warn({ tenant, err: errorMessage(err) }, 'processing delete requests failed; tried again next round');
      }
    }
    if (report.piecesProcessed > 0) this.countFinished(requests, batch);
    return report;
  }

  private countFinished(requests: Awaited<ReturnType<DeleteRequestReader['list']>>, done: readonly DeletePiece[]): void {
    for (const { request, processed } of requests) {
      const now = done.filter((p) => p.requestId === request.requestId && p.tenant === request.tenant).length;
      if (now > 0 && processed.size + now >= request.shards.length) {
        this.deps.metrics.deleteRequestsProcessed.inc({ user: request.tenant });
        this.deps.logger.info({ tenant: request.tenant, delete_request_id: request.requestId }, 'delete request for user marked as processed');
      }
    }
  }

  private async readTable(tenant: string, period: number, signal: AbortSignal): Promise<Table | null> {
    const inputs: string[] = [];
    for await (const o of listAll(this.deps.store, indexBundlePrefix(period, tenant), signal)) inputs.push(o.key);
    if (inputs.length === 0) return null;
    inputs.sort();
    let bundles: Uint8Array[];
    try {
      bundles = await mapLimit(inputs, CHUNK_PARALLELISM, (k) => this.deps.store.get(k, signal));
    } catch (err) {
      if (isFjordError(err, 'object_not_found')) throw new InputVanished(`an index bundle of ${tenant}/${period} vanished (another compactor took it)`);
      throw err;
    }
    return { period, inputs, union: unionIndexBundles(bundles) };
  }

  private async applyTenant(tenant: string, pieces: readonly DeletePiece[], nowMs: number, signal: AbortSignal, report: { chunksRewritten: number; chunksDropped: number; linesDeleted: number; piecesProcessed: number }): Promise<void> {
    const { store, codecs, metrics } = this.deps;
    const deletes: ActiveDelete[] = pieces.map((p) => ({ ...p, selector: this.deps.selector(p.query) }));
    const periods = new Set<number>();
    for (const p of pieces) for (const period of indexPeriodsOverlapping(BigInt(p.interval.startMs) * 1_000_000n, BigInt(p.interval.endMs) * 1_000_000n + 999_999n)) periods.add(period);
    const tables = new Map<number, Table>();
    const replaced = new Map<string, ChunkRef | null>();
    const work: Array<{ key: string; ref: ChunkRef; labels: Labels; deletes: readonly ActiveDelete[] }> = [];
    const seen = new Set<string>();
    for (const period of [...periods].sort((a, b) => a - b)) {
      const table = await this.readTable(tenant, period, signal);
      if (table === null) continue;
      tables.set(period, table);
      const labelsOf = new Map(table.union.series.map((s) => [s.fingerprint, s.labels]));
      for (const ref of table.union.chunks) {
        const labels = labelsOf.get(ref.fingerprint);
        const key = refKey(tenant, ref);
        if (labels === undefined || seen.has(key)) continue;
        seen.add(key);
        const action = refAction(labels, ref, deletes);
        if (action.kind === 'drop') {
          replaced.set(key, null);
          report.chunksDropped++;
        } else if (action.kind === 'rewrite') work.push({ key, ref, labels, deletes: action.deletes });
      }
    }
    await mapLimit(work, CHUNK_PARALLELISM, async (w) => {
      const out = rewriteChunk(decodeChunk(await store.get(w.key, signal), codecs), w.labels, w.deletes, codecs);
      if (out.kind === 'unchanged') return;
      report.linesDeleted += out.deletedLines;
      metrics.deletedLines.inc({ user: tenant }, out.deletedLines);
      if (out.kind === 'empty') {
        replaced.set(w.key, null);
        report.chunksDropped++;
        return;
      }
      const ref = chunkRefOf(out.chunk.header, out.chunk.checksum, out.chunk.bytes.length);
      await store.put(refKey(tenant, ref), out.chunk.bytes, signal);
      replaced.set(w.key, ref);
      report.chunksRewritten++;
    });
    // A replaced chunk is indexed in every period it overlaps: those tables change too.
    for (const key of replaced.keys()) {
      const { fromNs, throughNs } = parseChunkKey(key);
      for (const period of indexPeriodsOverlapping(fromNs, throughNs)) {
        if (tables.has(period)) continue;
        const table = await this.readTable(tenant, period, signal);
        if (table !== null) tables.set(period, table);
      }
    }
    const swaps: Table[] = [];
    for (const table of tables.values()) {
      const { output, changed } = replaceRefs(table.union, replaced);
      if (!changed) continue;
      if (output.chunks.length > 0) {
        await store.put(indexBundleKey({ period: table.period, tenant, bundleId: compactedBundleId(nowMs, table.inputs) }), encodeIndexBundle(output), signal);
      }
      swaps.push(table);
    }
    if (signal.aborted) return;
    if (replaced.size > 0) await writeRetentionMark(store, [...replaced.keys()].sort(), nowMs, signal);
    for (const table of swaps) for (const key of table.inputs) await store.delete(key, signal);
    for (const p of pieces) await store.put(deleteProcessedKey(tenant, p.requestId, p.shard), new TextEncoder().encode(`${nowMs}\n`), signal);
    report.piecesProcessed += pieces.length;
  }
}
