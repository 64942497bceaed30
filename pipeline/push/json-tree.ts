/**
 * A strict JSON reader that keeps numbers as their source text, so 64-bit integers (OTLP's
 * `timeUnixNano` sent as a number) are never rounded through a double. Used for OTLP JSON, which
 * is not the hot path. Pure.
 */
import { FjordError } from '../../schemas/errors.js';

/** A parsed JSON value; numbers keep their text, objects their members in order (duplicates kept). */
export type JsonNode =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[] }
  | { readonly kind: 'object'; readonly members: ReadonlyArray<readonly [string, JsonNode]> };

const MAX_DEPTH = 1000;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NULL_NODE: JsonNode = { kind: 'null' };
const TRUE_NODE: JsonNode = { kind: 'bool', value: true };
const FALSE_NODE: JsonNode = { kind: 'bool', value: false };

class TreeReader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new FjordError('bad_request', `invalid JSON at offset ${this.pos}: ${what}`);
  }

  space(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH}`);
    this.space();
    const t = this.text;
    const c = t[this.pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return { kind: 'string', value: this.string() };
      case 't':
        return this.word('true', TRUE_NODE);
      case 'f':
        return this.word('false', FALSE_NODE);
      case 'n':
        return this.word('null', NULL_NODE);
      default: {
        NUMBER.lastIndex = this.pos;
        const m = NUMBER.exec(t);
        if (m === null || m[0] === '') this.fail(c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
        this.pos += m[0].length;
        return { kind: 'number', text: m[0] };
      }
    }
  }

  word(w: string, node: JsonNode): JsonNode {
    if (!this.text.startsWith(w, this.pos)) this.fail(`expected ${w}`);
    this.pos += w.length;
    return node;
  }

  string(): string {
    const t = this.text;
    const start = ++this.pos;
    let i = start;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return t.slice(start, i);
      }
      if (c === 0x5c) break;
      if (c < 0x20) {
        this.pos = i;
        this.fail('control character in string');
      }
      i++;
    }
    let out = t.slice(start, i);
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return out;
      }
      if (c < 0x20) {
        this.pos = i;
        this.fail('control character in string');
      }
      if (c !== 0x5c) {
        out += t[i];
        i++;
        continue;
      }
      const e = t[i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        this.pos = i;
        this.fail('invalid escape in string');
      }
    }
    this.pos = i;
    return this.fail('unterminated string');
  }

  array(depth: number): JsonNode {
    this.pos++;
    const items: JsonNode[] = [];
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.space();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return { kind: 'array', items };
      if (c !== ',') {
        this.pos--;
        this.fail("expected ',' or ']'");
      }
    }
  }

  object(depth: number): JsonNode {
    this.pos++;
    const members: Array<[string, JsonNode]> = [];
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', members };
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') this.fail('expected a member name');
      const name = this.string();
      this.space();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      members.push([name, this.value(depth + 1)]);
      this.space();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return { kind: 'object', members };
      if (c !== ',') {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
    }
  }
}

/**
 * Parse one JSON document (UTF-8 bytes or a string); trailing non-space content is an error.
 * Throws FjordError('bad_request', 'invalid JSON at offset N: …'), N counted in UTF-16 units.
 */
export function parseJsonTree(input: Uint8Array | string): JsonNode {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = STRICT_UTF8.decode(input);
    } catch {
      throw new FjordError('bad_request', 'invalid JSON: the body is not valid UTF-8');
    }
  }
  const r = new TreeReader(text);
  const node = r.value(0);
  r.space();
  if (r.pos !== text.length) r.fail('unexpected content after the JSON value');
  return node;
}
