/**
 * Prometheus remote-write 1.0 messages (`V:prompb/remote.proto`, `types.proto`):
 * WriteRequest{timeseries=1}, TimeSeries{labels=1, samples=2}, Label{name=1, value=2},
 * Sample{value=1 double, timestamp=2 int64 ms}. Labels are sorted by name; a stale sample carries
 * the StaleNaN bits 0x7ff0000000000002. Concatenated WriteRequests are one WriteRequest (a
 * repeated field), which is how queued records are batched. Pure.
 */
import { formatLabels, type Labels } from '../../../schemas/labels/index.js';
import { ProtoReader, ProtoWriter, WIRE_I64, WIRE_LEN, WIRE_VARINT } from '../../../schemas/wire/index.js';
import type { RuleSample } from '../rule-sample.js';

/** Prometheus' value.StaleNaN, little-endian. */
const STALE_NAN = new Uint8Array([0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f]);

function sampleBytes(s: RuleSample): Uint8Array {
  const w = new ProtoWriter(24);
  w.tag(1, WIRE_I64);
  if (s.stale) w.raw(STALE_NAN);
  else w.double(s.value);
  w.tag(2, WIRE_VARINT);
  w.int64(s.tsMs);
  return w.finish();
}

function byName(labels: Labels): Labels {
  return [...labels].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function seriesBytes(labels: Labels, samples: readonly RuleSample[]): Uint8Array {
  const w = new ProtoWriter(128);
  for (const l of labels) {
    const lw = new ProtoWriter(l.name.length + l.value.length + 8);
    lw.stringField(1, l.name);
    lw.stringField(2, l.value);
    w.bytesField(1, lw.finish());
  }
  for (const s of [...samples].sort((a, b) => a.tsMs - b.tsMs)) w.bytesField(2, sampleBytes(s));
  return w.finish();
}

/** A WriteRequest of `samples`, one TimeSeries per label set. */
export function encodeWriteRequest(samples: readonly RuleSample[]): Uint8Array {
  const bySeries = new Map<string, { labels: Labels; samples: RuleSample[] }>();
  for (const s of samples) {
    const labels = byName(s.labels);
    const key = formatLabels(labels);
    const entry = bySeries.get(key);
    if (entry) entry.samples.push(s);
    else bySeries.set(key, { labels, samples: [s] });
  }
  const w = new ProtoWriter(256);
  for (const { labels, samples: list } of bySeries.values()) w.bytesField(1, seriesBytes(labels, list));
  return w.finish().slice();
}

/** A decoded series of a WriteRequest (for tests and tools reading what was sent). */
export interface DecodedSeries {
  readonly labels: Record<string, string>;
  readonly samples: Array<{ readonly value: number; readonly tsMs: number; readonly stale: boolean }>;
}

const DECODER = new TextDecoder();

/** Decode a WriteRequest; throws FjordError('bad_request') on malformed bytes. */
export function decodeWriteRequest(bytes: Uint8Array): DecodedSeries[] {
  const out: DecodedSeries[] = [];
  const r = new ProtoReader(bytes);
  while (r.hasMore()) {
    const tag = r.readVarint();
    if (tag >>> 3 !== 1 || (tag & 7) !== WIRE_LEN) {
      r.skip(tag & 7);
      continue;
    }
    const ts = new ProtoReader(r.readBytes());
    const series: DecodedSeries = { labels: {}, samples: [] };
    while (ts.hasMore()) {
      const t = ts.readVarint();
      const f = t >>> 3;
      if ((t & 7) !== WIRE_LEN || (f !== 1 && f !== 2)) {
        ts.skip(t & 7);
        continue;
      }
      const m = new ProtoReader(ts.readBytes());
      if (f === 1) {
        let name = '';
        let value = '';
        while (m.hasMore()) {
          const lt = m.readVarint();
          if (lt >>> 3 === 1 && (lt & 7) === WIRE_LEN) name = DECODER.decode(m.readBytes());
          else if (lt >>> 3 === 2 && (lt & 7) === WIRE_LEN) value = DECODER.decode(m.readBytes());
          else m.skip(lt & 7);
        }
        series.labels[name] = value;
      } else {
        let value = 0;
        let tsMs = 0;
        let stale = false;
        while (m.hasMore()) {
          const st = m.readVarint();
          if (st >>> 3 === 1 && (st & 7) === WIRE_I64) {
            const raw = m.buf.subarray(m.pos, m.pos + 8);
            stale = raw.every((b, i) => b === STALE_NAN[i]);
            value = m.readDouble();
          } else if (st >>> 3 === 2 && (st & 7) === WIRE_VARINT) tsMs = m.readVarintInt64Number();
          else m.skip(st & 7);
        }
        series.samples.push({ value, tsMs, stale });
      }
    }
    out.push(series);
  }
  return out;
}
