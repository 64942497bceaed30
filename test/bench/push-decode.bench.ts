/**
 * Push decoding throughput: Loki protobuf and Loki JSON push bodies (50 and 500 streams of
 * realistic lines), OTLP protobuf with the conversion to streams, and the Kafka record split. Each
 * figure is MB/s of request body beside a same-run native reference over the same bytes:
 * `buffer.isUtf8` (one full validating scan) for protobuf, `JSON.parse` of the body text for JSON,
 * `Buffer.copy` for the record split. Notes give lines/s and MB/s of log text.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import {
  decodeOtlpLogsProtobuf, defaultOtlpConversion, encodeOtlpLogsProtobuf, otlpToPushRequest, type OtlpLogsRequest,
} from '../../pipeline/index.js';
import {
  decodePushJson, decodePushProtobuf, encodePushJson, encodePushProtobuf, splitIntoRecords, type PushRequest,
} from '../../schemas/record/index.js';
import { corpusLines } from './corpus.js';
import { mbPerSecond, rate, timeIt, type BenchFigure, type BenchSuite, type Rate } from './harness.js';

const ENCODER = new TextEncoder();
const BASE_NS = 1_714_564_800_000_000_000n;
const MAX_RECORD_BYTES = 15_983_616;

interface Body {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly lines: number;
  readonly lineBytes: number;
}

function pushRequest(streams: number, linesPerStream: number, seed: number): PushRequest {
  const lines = corpusLines(streams * linesPerStream, seed);
  return {
    streams: Array.from({ length: streams }, (_, s) => ({
      labels: `{app="svc-${s % 17}", env="prod", namespace="shop", pod="svc-${s}-7d9f8b-x2k4z", container="app"}`,
      entries: Array.from({ length: linesPerStream }, (_, i) => ({
        tsNs: BASE_NS + BigInt(s * 1_000_003 + i * 1_000),
        line: ENCODER.encode(lines[s * linesPerStream + i] as string),
        structuredMetadata: i % 4 === 0 ? [{ name: 'trace_id', value: (s * 7919 + i).toString(16).padStart(16, '0') }] : [],
      })),
    })),
  };
}

function measureOf(req: PushRequest): { lines: number; lineBytes: number } {
  let lines = 0;
  let lineBytes = 0;
  for (const s of req.streams) for (const e of s.entries) {
    lines++;
    lineBytes += e.line.length;
  }
  return { lines, lineBytes };
}

function otlpRequest(resources: number, perResource: number): OtlpLogsRequest {
  const lines = corpusLines(resources * perResource, 9);
  return {
    resourceLogs: Array.from({ length: resources }, (_, r) => ({
      resource: { attributes: [
        { key: 'service.name', value: { kind: 'string', value: `svc-${r % 17}` } },
        { key: 'k8s.pod.name', value: { kind: 'string', value: `svc-${r}-7d9f8b-x2k4z` } },
        { key: 'host.name', value: { kind: 'string', value: `node-${r % 5}` } },
      ], droppedAttributesCount: 0 },
      scopeLogs: [{
        scope: { name: 'app.logger', version: '1.2.0', attributes: [], droppedAttributesCount: 0 },
        logRecords: Array.from({ length: perResource }, (_, i) => ({
          timeUnixNano: BASE_NS + BigInt(i), observedTimeUnixNano: 0n, severityNumber: 9, severityText: 'INFO',
          body: { kind: 'string', value: lines[r * perResource + i] as string },
          attributes: [{ key: 'http.method', value: { kind: 'string', value: 'GET' } }],
          droppedAttributesCount: 0, flags: 1, traceId: new Uint8Array(16).fill(r + 1), spanId: new Uint8Array(8).fill(i + 1), eventName: '',
        })),
      }],
    })),
  };
}

function note(b: Body, t: { iterations: number; seconds: number }, what: string): string {
  const perS = t.iterations / t.seconds;
  return `${what}; ${b.name}: ${b.bytes.length} B body, ${b.lines} lines; ${Math.round(perS * b.lines).toLocaleString('en')} lines/s, ${(perS * b.lineBytes / 1e6).toFixed(1)} MB/s of log text`;
}

async function reference(label: string, bytes: Uint8Array, fn: () => unknown): Promise<Rate> {
  const t = await timeIt(fn, 1000);
  return rate(label, mbPerSecond(t, bytes.length), 'MB/s');
}

async function protobufFigure(b: Body): Promise<BenchFigure> {
  const t = await timeIt(() => decodePushProtobuf(b.bytes), 1500);
  const ref = await reference('buffer.isUtf8 over the same body', b.bytes, () => isUtf8(b.bytes));
  return { name: `protobuf decode, ${b.name}`, figure: rate('decodePushProtobuf', mbPerSecond(t, b.bytes.length), 'MB/s'), reference: ref, note: note(b, t, 'decode only') };
}

async function jsonFigure(b: Body): Promise<BenchFigure> {
  const t = await timeIt(() => decodePushJson(b.bytes), 1500);
  const textBody = Buffer.from(b.bytes).toString('utf8');
  const ref = await reference('JSON.parse of the same body (as a string)', b.bytes, () => JSON.parse(textBody));
  return { name: `JSON decode, ${b.name}`, figure: rate('decodePushJson', mbPerSecond(t, b.bytes.length), 'MB/s'), reference: ref, note: note(b, t, 'decode from bytes') };
}

async function splitFigure(b: Body): Promise<BenchFigure> {
  const t = await timeIt(() => splitIntoRecords(decodePushProtobuf(b.bytes).streams, MAX_RECORD_BYTES), 1500);
  const copy = Buffer.alloc(b.bytes.length);
  const src = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.length);
  const ref = await reference('Buffer.copy of the same body', b.bytes, () => src.copy(copy));
  return { name: `protobuf decode + record split/encode, ${b.name}`, figure: rate('decode+splitIntoRecords', mbPerSecond(t, b.bytes.length), 'MB/s'), reference: ref, note: note(b, t, 'decode, size, re-encode into records') };
}

async function otlpFigure(b: Body): Promise<BenchFigure> {
  const t = await timeIt(() => otlpToPushRequest(decodeOtlpLogsProtobuf(b.bytes), defaultOtlpConversion(BASE_NS)), 1500);
  const ref = await reference('buffer.isUtf8 over the same body', b.bytes, () => isUtf8(b.bytes));
  return { name: `OTLP protobuf decode + conversion, ${b.name}`, figure: rate('decodeOtlpLogsProtobuf+otlpToPushRequest', mbPerSecond(t, b.bytes.length), 'MB/s'), reference: ref, note: note(b, t, 'decode and Loki OTLP rules') };
}

/** The push-decode suite. */
export const suite: BenchSuite = {
  name: 'push-decode',
  async run(): Promise<BenchFigure[]> {
    const shapes = [
      { name: '50 streams × 40 lines', streams: 50, per: 40 },
      { name: '500 streams × 4 lines', streams: 500, per: 4 },
    ];
    const out: BenchFigure[] = [];
    for (const shape of shapes) {
      const req = pushRequest(shape.streams, shape.per, shape.streams);
      const m = measureOf(req);
      const pb: Body = { name: shape.name, bytes: encodePushProtobuf(req), ...m };
      const json: Body = { name: shape.name, bytes: ENCODER.encode(encodePushJson(req)), ...m };
      out.push(await protobufFigure(pb), await jsonFigure(json), await splitFigure(pb));
    }
    const otlp = otlpRequest(50, 40);
    let lineBytes = 0;
    for (const r of otlp.resourceLogs) for (const l of r.scopeLogs[0]?.logRecords ?? []) lineBytes += ENCODER.encode(l.body.kind === 'string' ? l.body.value : '').length;
    out.push(await otlpFigure({ name: '50 resources × 40 records', bytes: encodeOtlpLogsProtobuf(otlp), lines: 2000, lineBytes }));
    return out;
  },
};
