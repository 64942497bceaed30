/**
 * What one Fjord process says about itself at `GET /status/api/process`: its target, modules and
 * readiness, plus a section from each module that has something to report (the ingester's
 * partitions and tenant rates, the compactor's leadership and last round). The cluster status
 * (`/status/api`, cluster-status.ts) is assembled from these reports.
 */

/** One partition an ingester owns, as it reports it. */
export interface IngesterPartitionReport {
  readonly partition: number;
  /** The next offset to consume (everything before it is queryable on this ingester). */
  readonly consumed_offset: number;
  /** The offset that may be committed: everything before it is in the store. */
  readonly durable_offset: number;
  /** The partition's end when this ingester last fetched from it. */
  readonly end_offset: number;
  /** Record time of the last record consumed, ms since the epoch; null before the first. */
  readonly last_record_ms: number | null;
  readonly replaying: boolean;
}

/** Lines and bytes a tenant is pushing, per second, as consumed from the log. */
export interface TenantRate {
  readonly tenant: string;
  readonly lines_per_second: number;
  readonly bytes_per_second: number;
}

/** The ingester's section. */
export interface IngesterReport {
  readonly zone: string;
  readonly partitions: readonly IngesterPartitionReport[];
  readonly tenants: readonly TenantRate[];
}

/** A compaction round as the compactor reports it. */
export interface CompactionRoundReport {
  readonly started: string;
  readonly finished: string;
  readonly duration_seconds: number;
  readonly ok: boolean;
  readonly error: string | null;
  readonly tables: number;
  readonly bundles_replaced: number;
  readonly bundles_written: number;
}

/** The compactor's section. */
export interface CompactorReport {
  readonly leader: boolean;
  readonly last_round: CompactionRoundReport | null;
}

/** A process's report. */
export interface ProcessReport {
  /** The address other processes reach this one at (`http://<instance_addr>:<port>`). */
  readonly address: string;
  readonly target: string;
  readonly version: string;
  readonly ready: boolean;
  readonly not_ready_reason: string | null;
  readonly modules: ReadonlyArray<{ readonly name: string; readonly state: string }>;
  readonly ingester?: IngesterReport;
  readonly compactor?: CompactorReport;
}

/** Module sections a process report can carry. */
export interface ProcessSections {
  ingester?: () => IngesterReport;
  compactor?: () => CompactorReport;
}

/** Where modules hang the sections of their process's report. */
export class ProcessStatusBoard {
  readonly sections: ProcessSections = {};

  /** The sections as they are now. */
  read(): Pick<ProcessReport, 'ingester' | 'compactor'> {
    const out: { ingester?: IngesterReport; compactor?: CompactorReport } = {};
    if (this.sections.ingester) out.ingester = this.sections.ingester();
    if (this.sections.compactor) out.compactor = this.sections.compactor();
    return out;
  }
}
