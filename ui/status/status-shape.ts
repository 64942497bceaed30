/**
 * The JSON of `GET /status/api` as the status page reads it (README.md, "Cluster status", is the
 * reference). Every field is read defensively: the shape only grows, and an older server may lack some.
 */

export interface StatusProcess {
  readonly address: string;
  readonly groups?: readonly string[];
  readonly target: string | null;
  readonly version: string | null;
  readonly ready: boolean;
  readonly not_ready_reason: string | null;
  readonly modules?: ReadonlyArray<{ readonly name: string; readonly state: string }>;
  readonly error: string | null;
}

export interface StatusPartitionZone {
  readonly zone: string;
  readonly owner: string | null;
  readonly consumed_offset: number | null;
  readonly durable_offset: number | null;
  readonly committed_offset: number | null;
  readonly lag_records: number | null;
  readonly lag_seconds: number | null;
  readonly replaying?: boolean;
}

export interface StatusPartition {
  readonly partition: number;
  readonly start_offset: number;
  readonly end_offset: number;
  readonly zones: readonly StatusPartitionZone[];
}

export interface CompactionRound {
  readonly started: string;
  readonly finished: string;
  readonly duration_seconds: number;
  readonly ok: boolean;
  readonly error: string | null;
  readonly tables: number;
  readonly bundles_replaced: number;
  readonly bundles_written: number;
}

export interface ClusterStatus {
  readonly time: string;
  readonly log?: { readonly kind: string; readonly topic: string };
  readonly processes?: readonly StatusProcess[];
  readonly partitions?: readonly StatusPartition[];
  readonly compactor?: { readonly leader: string | null; readonly last_round: CompactionRound | null };
  readonly index?: { readonly periods: ReadonlyArray<{ period: number; start: string; tenants: number; bundles: number; bytes: number }> } | null;
  readonly tenants?: ReadonlyArray<{ tenant: string; lines_per_second: number; bytes_per_second: number }>;
  readonly errors?: readonly string[];
}
