/**
 * Loki's index volume (`L:pkg/storage/stores/shipper/indexshipper/tsdb/single_file_index.go`
 * Volume, `L:pkg/util/series_volume.go`, `L:pkg/storage/stores/index/seriesvolume/volume.go`,
 * `L:pkg/querier/queryrange/volume.go`): stream volumes are aggregated per series (restricted to
 * the matched or target labels) or per label name, the top `limit` kept per bucket, and the
 * buckets turned into a Prometheus-style vector (one bucket) or matrix. Pure.
 */
import { FjordError } from '../../schemas/index.js';
import { formatLabels, labelsToObject, parseLabelText, sortLabels, type Label } from '../../schemas/labels/index.js';
import { emptyStats, type StreamVolume } from '../engine/query-backend.js';
import type { CompiledMatcher } from '../logql/index.js';
import type { VolumeAggregation } from './params.js';
import { sampleTime, sampleValue } from './responses.js';
import { statsJson } from './stats-json.js';

/** What a volume query aggregates by. */
export interface VolumeSpec {
  /** The query's matchers; empty for `{}` (every stream, every label). */
  readonly matchers: readonly CompiledMatcher[];
  readonly targetLabels: readonly string[];
  readonly aggregateBy: VolumeAggregation;
  readonly limit: number;
  /** `volume_max_series`: more distinct names than this is an error. */
  readonly maxSeries: number;
}

/** Loki's ErrVolumeMaxSeriesHit. */
export function volumeMaxSeriesError(max: number): FjordError {
  return new FjordError('bad_request', `the query hit the max number of series limit (limit: ${max} series)`);
}

/** Aggregate the volumes of one bucket: name → bytes, the top `limit` by volume (then name). */
export function aggregateVolumes(streams: readonly StreamVolume[], spec: VolumeSpec): Array<{ name: string; volume: number }> {
  const includeAll = spec.matchers.length === 0 && spec.targetLabels.length === 0;
  const labelsToMatch = new Set(spec.targetLabels.length > 0 ? spec.targetLabels : spec.matchers.map((m) => m.name));
  const volumes = new Map<string, number>();
  const add = (name: string, bytes: number): void => {
    volumes.set(name, (volumes.get(name) ?? 0) + bytes);
    if (volumes.size > spec.maxSeries) throw volumeMaxSeriesError(spec.maxSeries);
  };
  for (const s of streams) {
    if (s.entries <= 0) continue;
    if (spec.targetLabels.some((t) => !s.labels.some((l) => l.name === t && l.value !== ''))) continue;
    if (spec.aggregateBy === 'series') {
      const kept: Label[] = s.labels.filter((l) => includeAll || labelsToMatch.has(l.name));
      add(formatLabels(sortLabels(kept)), s.bytes);
    } else {
      for (const l of s.labels) {
        if (spec.targetLabels.length === 0 || labelsToMatch.has(l.name)) add(l.name, s.bytes);
      }
    }
  }
  const out = [...volumes].map(([name, volume]) => ({ name, volume }));
  out.sort((a, b) => (a.volume === b.volume ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : b.volume - a.volume));
  return out.slice(0, spec.limit);
}

/** Loki's ForInterval with inclusive ends (1 ms gap): the buckets of a volume range query. */
export function volumeBuckets(startNs: bigint, endNs: bigint, stepNs: bigint): Array<{ startNs: bigint; endNs: bigint }> {
  if (stepNs <= 0n) return [{ startNs, endNs }];
  const out: Array<{ startNs: bigint; endNs: bigint }> = [];
  const gap = 1_000_000n;
  let first = true;
  for (let s = startNs - (startNs % stepNs); s < endNs; s += stepNs) {
    let e = s + stepNs;
    if (e >= endNs) e = endNs;
    else e -= gap;
    out.push({ startNs: first ? startNs : s, endNs: e });
    first = false;
  }
  return out;
}

/**
 * Loki's ToPrometheusResponse: series by name with one sample per bucket (at the bucket's end),
 * ordered by the first sample's value (descending) then name; a vector when no series has more
 * than one sample, else a matrix. Labels of a `series` name are its label set; of a `labels`
 * name, `{<name>: ""}`.
 */
export function encodeVolumeResponse(buckets: ReadonlyArray<{ tsMs: number; volumes: ReadonlyArray<{ name: string; volume: number }> }>, aggregateBy: VolumeAggregation): string {
  const byName = new Map<string, Array<[number, number]>>();
  for (const b of buckets) {
    for (const v of b.volumes) {
      let samples = byName.get(v.name);
      if (samples === undefined) byName.set(v.name, (samples = []));
      samples.push([b.tsMs, v.volume]);
    }
  }
  let matrix = false;
  const series = [...byName].map(([name, samples]) => {
    if (samples.length > 1) matrix = true;
    samples.sort((a, b) => a[0] - b[0]);
    const metric = aggregateBy === 'series' ? labelsToObject(parseLabelText(name)) : { [name]: '' };
    return { name, metric, samples };
  });
  series.sort((a, b) => {
    const va = a.samples[0]?.[1] ?? 0;
    const vb = b.samples[0]?.[1] ?? 0;
    if (va === vb) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    return vb - va;
  });
  const result = matrix
    ? series.map((s) => ({ metric: s.metric, values: s.samples.map(([t, v]) => [sampleTime(t), sampleValue(v)]) }))
    : series.map((s) => ({ metric: s.metric, value: [sampleTime(s.samples[0]?.[0] ?? 0), sampleValue(s.samples[0]?.[1] ?? 0)] }));
  return JSON.stringify({ status: 'success', data: { resultType: matrix ? 'matrix' : 'vector', result, stats: statsJson(emptyStats()) } });
}
