/**
 * OTLP/HTTP logs in JSON (the OTLP JSON mapping of `ExportLogsServiceRequest`) to the
 * OtlpLogsRequest model, as the collector's pdata reads it (Loki's OTLP JSON reader): member names
 * in lowerCamelCase or the proto's snake_case, unknown members ignored, 64-bit integers as decimal
 * strings or numbers (read exactly, never through a double), enums as names or numbers, trace and
 * span ids as hex, bytes as base64. Errors name the path of the bad member. Pure.
 */
import { Buffer } from 'node:buffer';
import { FjordError } from '../../schemas/errors.js';
import { parseJsonTree, type JsonNode } from './json-tree.js';
import { EMPTY_ANY_VALUE, type AnyValue, type KeyValue, type OtlpLogRecord, type OtlpLogsRequest, type OtlpResourceLogs, type OtlpScopeLogs } from './otlp-model.js';

type Members = ReadonlyArray<readonly [string, JsonNode]>;

function fail(path: string, what: string): never {
  throw new FjordError('bad_request', `OTLP JSON: ${path}: ${what}`);
}

/** Members of an object node (null reads as no members, as pdata does). */
function membersOf(node: JsonNode, path: string): Members {
  if (node.kind === 'null') return [];
  if (node.kind !== 'object') fail(path, `expected an object, got ${node.kind}`);
  return node.members;
}

function itemsOf(node: JsonNode, path: string): readonly JsonNode[] {
  if (node.kind === 'null') return [];
  if (node.kind !== 'array') fail(path, `expected an array, got ${node.kind}`);
  return node.items;
}

/** The snake_case form of a lowerCamelCase proto JSON name. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

/** Call `on(fieldName, value)` for each member, the name normalised to lowerCamelCase when known. */
function eachMember(members: Members, known: readonly string[], on: (name: string, value: JsonNode) => void): void {
  for (const [name, value] of members) {
    const match = known.find((k) => k === name || snake(k) === name);
    if (match !== undefined) on(match, value);
  }
}

function readString(node: JsonNode, path: string): string {
  if (node.kind === 'null') return '';
  if (node.kind !== 'string') fail(path, `expected a string, got ${node.kind}`);
  return node.value;
}

function readInteger(node: JsonNode, path: string, min: bigint, max: bigint): bigint {
  let text: string;
  if (node.kind === 'number') text = node.text;
  else if (node.kind === 'string') text = node.value;
  else fail(path, `expected an integer (number or decimal string), got ${node.kind}`);
  if (!/^-?[0-9]+$/.test(text)) fail(path, `invalid integer ${JSON.stringify(text)}`);
  const value = BigInt(text);
  if (value < min || value > max) fail(path, `integer ${text} out of range`);
  return value;
}

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function readUint64(node: JsonNode, path: string): bigint {
  return readInteger(node, path, 0n, UINT64_MAX);
}

function readUint32(node: JsonNode, path: string): number {
  return Number(readInteger(node, path, 0n, 0xffffffffn));
}

function readDouble(node: JsonNode, path: string): number {
  const text = node.kind === 'number' ? node.text : node.kind === 'string' ? node.value : fail(path, `expected a number, got ${node.kind}`);
  if (text === 'NaN') return NaN;
  if (text === 'Infinity' || text === '+Infinity' || text === 'Inf' || text === '+Inf') return Infinity;
  if (text === '-Infinity' || text === '-Inf') return -Infinity;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) fail(path, `invalid number ${JSON.stringify(text)}`);
  return value;
}

const SEVERITY_NAMES = ['UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'INFO', 'INFO2', 'INFO3', 'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3', 'ERROR4', 'FATAL', 'FATAL2', 'FATAL3', 'FATAL4'];

function readSeverityNumber(node: JsonNode, path: string): number {
  if (node.kind === 'string' && node.value.startsWith('SEVERITY_NUMBER_')) {
    const i = SEVERITY_NAMES.indexOf(node.value.slice('SEVERITY_NUMBER_'.length));
    if (i < 0) fail(path, `unknown enum value ${JSON.stringify(node.value)}`);
    return i;
  }
  if (node.kind === 'string' && !/^-?[0-9]+$/.test(node.value)) fail(path, `unknown enum value ${JSON.stringify(node.value)}`);
  return Number(readInteger(node, path, -(2n ** 31n), 2n ** 31n - 1n));
}

function readHexId(node: JsonNode, path: string, size: number): Uint8Array {
  const text = readString(node, path);
  if (text === '') return new Uint8Array(0);
  if (text.length !== size * 2) fail(path, `expected ${size * 2} hex digits, got ${text.length}`);
  if (!/^[0-9a-fA-F]*$/.test(text)) fail(path, 'invalid hex');
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function readBase64(node: JsonNode, path: string): Uint8Array {
  const text = readString(node, path);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) fail(path, 'invalid base64');
  return Uint8Array.from(Buffer.from(text, 'base64'));
}

function readAnyValue(node: JsonNode, path: string): AnyValue {
  let value: AnyValue = EMPTY_ANY_VALUE;
  const known = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'];
  eachMember(membersOf(node, path), known, (name, v) => {
    const at = `${path}.${name}`;
    switch (name) {
      case 'stringValue':
        value = { kind: 'string', value: readString(v, at) };
        break;
      case 'boolValue':
        if (v.kind !== 'bool') fail(at, `expected a boolean, got ${v.kind}`);
        value = { kind: 'bool', value: v.value };
        break;
      case 'intValue':
        value = { kind: 'int', value: readInteger(v, at, INT64_MIN, INT64_MAX) };
        break;
      case 'doubleValue':
        value = { kind: 'double', value: readDouble(v, at) };
        break;
      case 'arrayValue': {
        const values: AnyValue[] = [];
        eachMember(membersOf(v, at), ['values'], (_n, list) => {
          itemsOf(list, `${at}.values`).forEach((x, i) => values.push(readAnyValue(x, `${at}.values[${i}]`)));
        });
        value = { kind: 'array', values };
        break;
      }
      case 'kvlistValue': {
        const values: KeyValue[] = [];
        eachMember(membersOf(v, at), ['values'], (_n, list) => values.push(...readKeyValues(list, `${at}.values`)));
        value = { kind: 'kvlist', values };
        break;
      }
      case 'bytesValue':
        value = { kind: 'bytes', value: readBase64(v, at) };
        break;
    }
  });
  return value;
}

function readKeyValues(node: JsonNode, path: string): KeyValue[] {
  return itemsOf(node, path).map((item, i) => {
    const at = `${path}[${i}]`;
    let key = '';
    let value: AnyValue = EMPTY_ANY_VALUE;
    eachMember(membersOf(item, at), ['key', 'value'], (name, v) => {
      if (name === 'key') key = readString(v, `${at}.key`);
      else value = readAnyValue(v, `${at}.value`);
    });
    return { key, value };
  });
}

const RECORD_FIELDS = ['timeUnixNano', 'observedTimeUnixNano', 'severityNumber', 'severityText', 'body', 'attributes', 'droppedAttributesCount', 'flags', 'traceId', 'spanId', 'eventName'];

function readLogRecord(node: JsonNode, path: string): OtlpLogRecord {
  const r: { -readonly [K in keyof OtlpLogRecord]: OtlpLogRecord[K] } & { attributes: KeyValue[] } = {
    timeUnixNano: 0n, observedTimeUnixNano: 0n, severityNumber: 0, severityText: '', body: EMPTY_ANY_VALUE,
    attributes: [], droppedAttributesCount: 0, flags: 0, traceId: new Uint8Array(0), spanId: new Uint8Array(0), eventName: '',
  };
  eachMember(membersOf(node, path), RECORD_FIELDS, (name, v) => {
    const at = `${path}.${name}`;
    if (name === 'timeUnixNano') r.timeUnixNano = readUint64(v, at);
    else if (name === 'observedTimeUnixNano') r.observedTimeUnixNano = readUint64(v, at);
    else if (name === 'severityNumber') r.severityNumber = readSeverityNumber(v, at);
    else if (name === 'severityText') r.severityText = readString(v, at);
    else if (name === 'body') r.body = readAnyValue(v, at);
    else if (name === 'attributes') r.attributes.push(...readKeyValues(v, at));
    else if (name === 'droppedAttributesCount') r.droppedAttributesCount = readUint32(v, at);
    else if (name === 'flags') r.flags = readUint32(v, at);
    else if (name === 'traceId') r.traceId = readHexId(v, at, 16);
    else if (name === 'spanId') r.spanId = readHexId(v, at, 8);
    else r.eventName = readString(v, at);
  });
  return r;
}

function readScopeLogs(node: JsonNode, path: string): OtlpScopeLogs {
  const scope = { name: '', version: '', attributes: [] as KeyValue[], droppedAttributesCount: 0 };
  const logRecords: OtlpLogRecord[] = [];
  eachMember(membersOf(node, path), ['scope', 'logRecords'], (name, v) => {
    const at = `${path}.${name}`;
    if (name === 'logRecords') {
      itemsOf(v, at).forEach((x, i) => logRecords.push(readLogRecord(x, `${at}[${i}]`)));
      return;
    }
    eachMember(membersOf(v, at), ['name', 'version', 'attributes', 'droppedAttributesCount'], (field, s) => {
      const sat = `${at}.${field}`;
      if (field === 'name') scope.name = readString(s, sat);
      else if (field === 'version') scope.version = readString(s, sat);
      else if (field === 'attributes') scope.attributes.push(...readKeyValues(s, sat));
      else scope.droppedAttributesCount = readUint32(s, sat);
    });
  });
  return { scope, logRecords };
}

function readResourceLogs(node: JsonNode, path: string): OtlpResourceLogs {
  const resource = { attributes: [] as KeyValue[], droppedAttributesCount: 0 };
  const scopeLogs: OtlpScopeLogs[] = [];
  eachMember(membersOf(node, path), ['resource', 'scopeLogs'], (name, v) => {
    const at = `${path}.${name}`;
    if (name === 'scopeLogs') {
      itemsOf(v, at).forEach((x, i) => scopeLogs.push(readScopeLogs(x, `${at}[${i}]`)));
      return;
    }
    eachMember(membersOf(v, at), ['attributes', 'droppedAttributesCount'], (field, s) => {
      if (field === 'attributes') resource.attributes.push(...readKeyValues(s, `${at}.attributes`));
      else resource.droppedAttributesCount = readUint32(s, `${at}.droppedAttributesCount`);
    });
  });
  return { resource, scopeLogs };
}

/**
 * Decode an OTLP JSON logs export (UTF-8 bytes or text). Throws FjordError('bad_request') for
 * invalid JSON (`invalid JSON at offset N: …`) or a member of the wrong type (`OTLP JSON:
 * resourceLogs[0].scopeLogs[0].logRecords[2].timeUnixNano: …`).
 */
export function decodeOtlpLogsJson(body: Uint8Array | string): OtlpLogsRequest {
  const root = parseJsonTree(body);
  const resourceLogs: OtlpResourceLogs[] = [];
  eachMember(membersOf(root, '$'), ['resourceLogs'], (_n, v) => {
    itemsOf(v, 'resourceLogs').forEach((x, i) => resourceLogs.push(readResourceLogs(x, `resourceLogs[${i}]`)));
  });
  return { resourceLogs };
}
