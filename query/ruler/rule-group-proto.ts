/**
 * Loki's `rules.RuleGroupDesc` protobuf (`L:pkg/ruler/rulespb/rules.proto`), the value of every
 * rule group object in a bucket, so Fjord and Loki read each other's rule stores. Fields: group
 * name=1, namespace=2, interval=3 (Duration), rules=4, user=6, limit=10; rule expr=1, record=2,
 * alert=3, for=4 (Duration), labels=5 and annotations=6 (LegacyLabelPair name=1 value=2). Fjord
 * adds keep_firing_for=13 (Duration) to a rule, past the fields Loki reserves; Loki skips it.
 * Pure.
 */
import { ProtoReader, ProtoWriter, WIRE_LEN, WIRE_VARINT } from '../../schemas/wire/index.js';
import { ruleDesc, type RuleDesc, type RuleGroupDesc } from './rule-group.js';

const DECODER = new TextDecoder();
const KEEP_FIRING_FOR = 13;

function durationBytes(ms: number): Uint8Array {
  const w = new ProtoWriter(16);
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms - seconds * 1000) * 1_000_000;
  if (seconds !== 0) {
    w.tag(1, WIRE_VARINT);
    w.int64(seconds);
  }
  if (nanos !== 0) {
    w.tag(2, WIRE_VARINT);
    w.varint(nanos);
  }
  return w.finish().slice();
}

function readDurationMs(bytes: Uint8Array): number {
  const r = new ProtoReader(bytes);
  let seconds = 0;
  let nanos = 0;
  while (r.hasMore()) {
    const tag = r.readVarint();
    if (tag >>> 3 === 1 && (tag & 7) === WIRE_VARINT) seconds = r.readVarintInt64Number();
    else if (tag >>> 3 === 2 && (tag & 7) === WIRE_VARINT) nanos = r.readVarintInt32();
    else r.skip(tag & 7);
  }
  return seconds * 1000 + Math.trunc(nanos / 1_000_000);
}

function pairBytes(name: string, value: string): Uint8Array {
  const w = new ProtoWriter(name.length + value.length + 8);
  w.stringField(1, name);
  w.stringField(2, value);
  return w.finish().slice();
}

function readPair(bytes: Uint8Array): [string, string] {
  const r = new ProtoReader(bytes);
  let name = '';
  let value = '';
  while (r.hasMore()) {
    const tag = r.readVarint();
    if (tag >>> 3 === 1 && (tag & 7) === WIRE_LEN) name = DECODER.decode(r.readBytes());
    else if (tag >>> 3 === 2 && (tag & 7) === WIRE_LEN) value = DECODER.decode(r.readBytes());
    else r.skip(tag & 7);
  }
  return [name, value];
}

function ruleBytes(rule: RuleDesc): Uint8Array {
  const w = new ProtoWriter(rule.expr.length + 64);
  w.stringField(1, rule.expr);
  if (rule.record !== '') w.stringField(2, rule.record);
  if (rule.alert !== '') w.stringField(3, rule.alert);
  w.bytesField(4, durationBytes(rule.forMs));
  for (const k of Object.keys(rule.labels).sort()) w.bytesField(5, pairBytes(k, rule.labels[k] as string));
  for (const k of Object.keys(rule.annotations).sort()) w.bytesField(6, pairBytes(k, rule.annotations[k] as string));
  if (rule.keepFiringForMs !== 0) w.bytesField(KEEP_FIRING_FOR, durationBytes(rule.keepFiringForMs));
  return w.finish().slice();
}

function readRule(bytes: Uint8Array): RuleDesc {
  const r = new ProtoReader(bytes);
  const f: { -readonly [K in keyof RuleDesc]?: RuleDesc[K] } = {};
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  while (r.hasMore()) {
    const tag = r.readVarint();
    const field = tag >>> 3;
    if ((tag & 7) !== WIRE_LEN) {
      r.skip(tag & 7);
      continue;
    }
    const b = r.readBytes();
    switch (field) {
      case 1: f.expr = DECODER.decode(b); break;
      case 2: f.record = DECODER.decode(b); break;
      case 3: f.alert = DECODER.decode(b); break;
      case 4: f.forMs = readDurationMs(b); break;
      case 5: { const [k, v] = readPair(b); labels[k] = v; break; }
      case 6: { const [k, v] = readPair(b); annotations[k] = v; break; }
      case KEEP_FIRING_FOR: f.keepFiringForMs = readDurationMs(b); break;
      default: break;
    }
  }
  return ruleDesc({ ...f, labels, annotations });
}

/** Encode a group as Loki stores it. */
export function encodeRuleGroupProto(g: RuleGroupDesc): Uint8Array {
  const w = new ProtoWriter(256);
  w.stringField(1, g.name);
  w.stringField(2, g.namespace);
  w.bytesField(3, durationBytes(g.intervalMs));
  for (const rule of g.rules) w.bytesField(4, ruleBytes(rule));
  w.stringField(6, g.tenant);
  if (g.limit !== 0) {
    w.tag(10, WIRE_VARINT);
    w.int64(g.limit);
  }
  return w.finish().slice();
}

/** Decode a stored group; throws FjordError on malformed bytes. */
export function decodeRuleGroupProto(bytes: Uint8Array): RuleGroupDesc {
  const r = new ProtoReader(bytes);
  let name = '';
  let namespace = '';
  let tenant = '';
  let intervalMs = 0;
  let limit = 0;
  const rules: RuleDesc[] = [];
  while (r.hasMore()) {
    const tag = r.readVarint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 10 && wire === WIRE_VARINT) {
      limit = r.readVarintInt64Number();
      continue;
    }
    if (wire !== WIRE_LEN) {
      r.skip(wire);
      continue;
    }
    const b = r.readBytes();
    switch (field) {
      case 1: name = DECODER.decode(b); break;
      case 2: namespace = DECODER.decode(b); break;
      case 3: intervalMs = readDurationMs(b); break;
      case 4: rules.push(readRule(b)); break;
      case 6: tenant = DECODER.decode(b); break;
      default: break;
    }
  }
  return { name, namespace, tenant, intervalMs, limit, rules };
}
