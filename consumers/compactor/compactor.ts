/**
 * The compactor: while it leads (leader.ts), every `compaction_interval` it lists the index
 * bundles, merges each table's bundles into one, drops refs past the tenant's retention, and sweeps
 * retention marks whose delay has passed.
 *
 * The swap is upload-then-delete. The replacing bundle holds every live ref of its inputs and is
 * uploaded before any input is deleted, so at every moment the bundles in the store hold every
 * live ref (for a moment some twice; readers de-duplicate refs by chunk key). A querier that listed
 * just before the delete either reads the inputs (from its cache, or from the store before they
 * go) and sees every ref, or finds an input gone, lists again, and reads the replacement.
 */
import { errorMessage, isFjordError, type CodecSet } from '../../schemas/index.js';
import type { FjordConfig, Limits } from '../../schemas/config/index.js';
import { indexBundleKey, indexTableName } from '../../schemas/index/index.js';
import type { CompiledLogSelector, LogSelectorCompiler } from '../../schemas/labels/index.js';
import {
  listAll, mapLimit, type CompactionRoundReport, type CompactorReport, type DeleteRequestReader, type Logger, type ObjectStore, type Service,
} from '../../platform/index.js';
import { bundleObjects, planCompaction, type CompactionJob } from './compaction-plan.js';
import { DeleteProcessor } from './delete-processor.js';
import { sweepRetentionMarks, writeRetentionMark } from './retention-sweep.js';
import type { Leadership } from './leader.js';
import { compactedBundleId, compactTable } from './merge-bundles.js';
import type { CompactorMetrics } from './metrics.js';
import type { RetentionCutoff } from './retention.js';
import { latestCutoffNs, retentionRules, streamCutoff, type RetentionRule } from './stream-retention.js';

/** What the compactor is built from. */
export interface CompactorDeps {
  readonly cfg: FjordConfig['compactor'];
  readonly limits: Limits;
  readonly store: ObjectStore;
  readonly leadership: Leadership;
  readonly metrics: CompactorMetrics;
  readonly logger: Logger;
  /** Compiles `retention_stream` selectors (and delete queries) with LogQL. */
  readonly compileSelector: LogSelectorCompiler;
  /** Reads the delete requests in the store. */
  readonly deleteRequests: DeleteRequestReader;
  /** Codecs for rewriting chunks that delete requests select lines of. */
  readonly codecs: CodecSet;
}

/** What one round did. */
export interface CompactionReport {
  readonly tables: number;
  readonly tablesFailed: number;
  readonly bundlesReplaced: number;
  readonly bundlesWritten: number;
  readonly refsDroppedDuplicate: number;
  readonly refsDroppedRetention: number;
  readonly chunksMarked: number;
  readonly marksSwept: number;
  readonly chunksDeleted: number;
  /** Delete request pieces applied, chunks rewritten without deleted lines, lines deleted. */
  readonly deletePieces: number;
  readonly chunksRewritten: number;
  readonly linesDeleted: number;
}

/** Bundles fetched at once for one table. */
const GET_PARALLELISM = 16;

type Tally = { -readonly [K in keyof CompactionReport]: CompactionReport[K] };

/** The compactor service. */
export class Compactor implements Service {
  readonly name = 'compactor';
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<CompactionReport> | null = null;
  private abort: AbortController | null = null;
  private stopped = false;
  /** Smallest chunk through of bundles seen (bundles are immutable); null for a bundle without refs. */
  private readonly minThrough = new Map<string, bigint | null>();
  /** Compiled selectors, by selector text. */
  private readonly selectors = new Map<string, CompiledLogSelector>();
  private readonly deletes: DeleteProcessor;
  private lastRound: CompactionRoundReport | null = null;

  constructor(private readonly deps: CompactorDeps) {
    this.deletes = new DeleteProcessor({
      cfg: deps.cfg, limits: deps.limits, store: deps.store, reader: deps.deleteRequests, codecs: deps.codecs,
      selector: (q) => this.selector(q), metrics: deps.metrics, logger: deps.logger,
    });
  }

  async start(): Promise<void> {
    this.deps.metrics.running.set(0);
    await this.deps.leadership.start((leader) => this.onLeadership(leader));
    this.timer = setInterval(() => this.tick(), this.deps.cfg.compaction_interval);
    this.timer.unref();
  }

  /** Stop compacting (an in-flight round is aborted between steps) and leave the group. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.halt();
    await this.deps.leadership.stop();
    this.deps.metrics.running.set(0);
  }

  /** True while this instance leads. */
  isLeader(): boolean {
    return this.deps.leadership.isLeader();
  }

  /** What this compactor reports at `/status/api/process`. */
  statusReport(): CompactorReport {
    return { leader: this.isLeader(), last_round: this.lastRound };
  }

  private async onLeadership(leader: boolean): Promise<void> {
    this.deps.metrics.running.set(leader ? 1 : 0);
    if (leader) this.tick();
    else await this.halt();
  }

  private async halt(): Promise<void> {
    this.abort?.abort();
    await this.round?.catch(() => undefined);
  }

  private tick(): void {
    if (this.stopped || this.round !== null || !this.deps.leadership.isLeader()) return;
    this.runOnce().catch((err) => this.deps.logger.error({ err: errorMessage(err) }, 'compaction round failed'));
  }

  /** Run one round now, leader or not (after the round in flight, if any). Rejects when the listing fails. */
  async runOnce(nowMs: number = Date.now()): Promise<CompactionReport> {
    while (this.round) await this.round.catch(() => undefined);
    const abort = new AbortController();
    this.abort = abort;
    this.round = this.compact(nowMs, abort.signal);
    const started = Date.now();
    const finish = (ok: boolean, error: string | null, r: CompactionReport | null): void => {
      const finished = Date.now();
      this.lastRound = {
        started: new Date(started).toISOString(), finished: new Date(finished).toISOString(), duration_seconds: (finished - started) / 1000,
        ok, error, tables: r?.tables ?? 0, bundles_replaced: r?.bundlesReplaced ?? 0, bundles_written: r?.bundlesWritten ?? 0,
      };
    };
    try {
      const r = await this.round;
      finish(r.tablesFailed === 0, r.tablesFailed === 0 ? null : `${r.tablesFailed} of ${r.tables} tables failed`, r);
      return r;
    } catch (err) {
      finish(false, errorMessage(err), null);
      throw err;
    } finally {
      this.round = null;
      this.abort = null;
    }
  }

  private async compact(nowMs: number, signal: AbortSignal): Promise<CompactionReport> {
    const { cfg, metrics, logger } = this.deps;
    const t0 = performance.now();
    const tally: Tally = {
      tables: 0, tablesFailed: 0, bundlesReplaced: 0, bundlesWritten: 0, refsDroppedDuplicate: 0, refsDroppedRetention: 0,
      chunksMarked: 0, marksSwept: 0, chunksDeleted: 0, deletePieces: 0, chunksRewritten: 0, linesDeleted: 0,
    };
    let jobs: CompactionJob[];
    try {
      const listed = [];
      for await (const o of listAll(this.deps.store, 'index/', signal)) listed.push(o);
      const bundles = bundleObjects(listed);
      const present = new Set(bundles.map((b) => b.key));
      for (const key of this.minThrough.keys()) if (!present.has(key)) this.minThrough.delete(key);
      jobs = planCompaction(bundles, {
        nowMs,
        minBundleAgeMs: cfg.min_bundle_age,
        maxBundlesPerJob: cfg.max_bundles_per_table,
        retentionCutoffNs: (tenant) => (cfg.retention_enabled ? latestCutoffNs(this.rulesOf(tenant), this.deps.limits.forTenant(tenant).retention_period, nowMs) : null),
        minThroughNs: (key) => this.minThrough.get(key),
      });
    } catch (err) {
      metrics.compactRuns.inc({ status: 'failure' });
      throw err;
    }
    await mapLimit(jobs, cfg.max_compaction_parallelism, async (job) => {
      if (signal.aborted) return;
      tally.tables++;
      try {
        await this.compactJob(job, nowMs, signal, tally);
      } catch (err) {
        tally.tablesFailed++;
        metrics.tablesFailed.inc();
        if (!signal.aborted) logger.warn({ tenant: job.tenant, period: job.period, err: errorMessage(err) }, 'table compaction failed; tried again next round');
      }
    });
    metrics.compactRuns.inc({ status: tally.tablesFailed === 0 ? 'success' : 'failure' });
    metrics.compactDuration.set((performance.now() - t0) / 1000);
    if (tally.tablesFailed === 0) metrics.compactLastSuccess.set(nowMs / 1000);
    if (cfg.retention_enabled && !signal.aborted) await this.applyDeletes(nowMs, signal, tally);
    if (cfg.retention_enabled && !signal.aborted) await this.sweep(nowMs, signal, tally);
    if (tally.bundlesReplaced > 0 || tally.chunksDeleted > 0 || tally.tablesFailed > 0 || tally.deletePieces > 0) {
      logger.info({ ...tally, duration_ms: Math.round(performance.now() - t0) }, 'compaction round done');
    }
    return tally;
  }

  private async applyDeletes(nowMs: number, signal: AbortSignal, tally: Tally): Promise<void> {
    try {
      const r = await this.deletes.run(nowMs, signal);
      tally.deletePieces += r.piecesProcessed;
      tally.chunksRewritten += r.chunksRewritten;
      tally.linesDeleted += r.linesDeleted;
    } catch (err) {
      this.deps.metrics.deleteFailures.inc({ cause: 'load_requests' });
      this.deps.logger.warn({ err: errorMessage(err) }, 'loading delete requests failed; tried again next round');
    }
  }

  private async sweep(nowMs: number, signal: AbortSignal, tally: Tally): Promise<void> {
    const { cfg, metrics, logger } = this.deps;
    try {
      const swept = await sweepRetentionMarks(
        this.deps.store, { nowMs, delayMs: cfg.retention_delete_delay, workers: cfg.retention_delete_worker_count }, metrics, logger, signal,
      );
      tally.marksSwept += swept.marksSwept;
      tally.chunksDeleted += swept.chunksDeleted;
      metrics.retentionRuns.inc({ status: 'success' });
      metrics.retentionLastSuccess.set(nowMs / 1000);
    } catch (err) {
      metrics.retentionRuns.inc({ status: 'failure' });
      logger.warn({ err: errorMessage(err) }, 'sweeping retention marks failed; tried again next round');
    }
  }

  /** A selector compiled once. Throws FjordError('bad_request') for one LogQL refuses. */
  selector(text: string): CompiledLogSelector {
    let s = this.selectors.get(text);
    if (!s) {
      s = this.deps.compileSelector(text);
      this.selectors.set(text, s);
    }
    return s;
  }

  private rulesOf(tenant: string): RetentionRule[] {
    return retentionRules(this.deps.limits.forTenant(tenant).retention_stream, (sel) => {
      const s = this.selector(sel);
      return (labels) => s.matchesStream(labels);
    });
  }

  /** The cutoff of a retention job: per stream when the tenant has `retention_stream` rules. */
  private cutoffOf(tenant: string, latestNs: bigint, nowMs: number): RetentionCutoff {
    const rules = this.rulesOf(tenant);
    return rules.length === 0 ? latestNs : streamCutoff(rules, this.deps.limits.forTenant(tenant).retention_period, nowMs);
  }

  /** Rewrite one table: fetch, merge, upload the replacement, mark expired chunks, delete the inputs. */
  private async compactJob(job: CompactionJob, nowMs: number, signal: AbortSignal, tally: Tally): Promise<void> {
    const { store, metrics, logger } = this.deps;
    let inputs: Uint8Array[];
    try {
      inputs = await mapLimit(job.inputs, GET_PARALLELISM, (key) => store.get(key, signal));
    } catch (err) {
      if (!isFjordError(err, 'object_not_found')) throw err;
      logger.info({ tenant: job.tenant, period: job.period }, 'an index bundle vanished while compacting (another compactor took it); table skipped this round');
      return;
    }
    const out = compactTable(inputs, job.kind === 'retention' ? this.cutoffOf(job.tenant, job.cutoffNs, nowMs) : null);
    if (job.inputs.length === 1 && out.refsExpired === 0) {
      this.minThrough.set(job.inputs[0] as string, out.minThroughNs);
      return;
    }
    if (out.bytes !== null) {
      const key = indexBundleKey({ period: job.period, tenant: job.tenant, bundleId: compactedBundleId(nowMs, job.inputs) });
      await store.put(key, out.bytes, signal);
      this.minThrough.set(key, out.minThroughNs);
      metrics.bundlesWritten.inc();
      tally.bundlesWritten++;
    }
    if (out.expiredChunks.length > 0) {
      await writeRetentionMark(store, out.expiredChunks, nowMs, signal);
      metrics.marksCreated.inc({ table: indexTableName('index_', job.period) }, out.expiredChunks.length);
      tally.chunksMarked += out.expiredChunks.length;
    }
    // Past this point the replacement (or the mark, for a table past retention) is stored: deleting
    // the inputs loses no live ref. An aborted round leaves them for the next round to merge again.
    if (signal.aborted) return;
    for (const key of job.inputs) {
      await store.delete(key, signal);
      this.minThrough.delete(key);
      metrics.bundlesReplaced.inc();
      tally.bundlesReplaced++;
    }
    const duplicates = out.refsIn - out.refsOut - out.refsExpired;
    metrics.refsDropped.inc({ reason: 'duplicate' }, duplicates);
    metrics.refsDropped.inc({ reason: 'retention' }, out.refsExpired);
    tally.refsDroppedDuplicate += duplicates;
    tally.refsDroppedRetention += out.refsExpired;
  }
}
