/**
 * Rule groups from YAML, as Loki decodes them: a rule file (`groups:` list) strictly, with Go
 * yaml.v3's `KnownFields` errors (`line 4: field foo not found in type rulefmt.RuleGroup`); one
 * group posted to the API leniently (unknown keys ignored). Every group and rule keeps the line it
 * starts on, for error messages. Pure.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { parsePromDuration } from '../../schemas/go/index.js';
import { ruleDesc, type RuleDesc } from './rule-group.js';

/** A decoded group, before it is placed in a namespace; lines are 1-based. */
export interface DecodedGroup {
  readonly name: string;
  readonly intervalMs: number;
  readonly limit: number;
  readonly rules: readonly RuleDesc[];
  readonly line: number;
  readonly ruleLines: readonly number[];
}

/** Why YAML did not decode: Go yaml.v3's message (`yaml: unmarshal errors:\n  line 3: …`). */
export class RuleYamlError extends Error {}

const GROUP_KEYS = new Set(['name', 'interval', 'query_offset', 'limit', 'rules', 'labels']);
const RULE_KEYS = new Set(['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);

class Decoder {
  readonly errors: string[] = [];
  constructor(
    private readonly lines: LineCounter,
    private readonly strict: boolean,
  ) {}

  line(node: Node | Pair | null | undefined): number {
    const start = node && 'range' in node && node.range ? node.range[0] : node && 'key' in node && isScalar(node.key) ? node.key.range?.[0] : undefined;
    return start === undefined ? 0 : this.lines.linePos(start).line;
  }

  fail(node: Node | Pair | null | undefined, message: string): void {
    this.errors.push(`line ${this.line(node)}: ${message}`);
  }

  private tagOf(node: Node): string {
    if (isMap(node)) return '!!map';
    if (isSeq(node)) return '!!seq';
    if (isScalar(node)) {
      const v = node.value;
      if (v === null) return '!!null';
      if (typeof v === 'number') return Number.isInteger(v) && !String(node.source ?? '').includes('.') ? '!!int' : '!!float';
      if (typeof v === 'boolean') return '!!bool';
      return '!!str';
    }
    return '!!str';
  }

  private cannot(node: Node, into: string): void {
    const shown = isScalar(node) ? ` \`${String(node.source ?? node.value)}\`` : '';
    this.fail(node, `cannot unmarshal ${this.tagOf(node)}${shown} into ${into}`);
  }

  /** The pairs of a mapping, checking keys against `known` (strict decoding). */
  pairs(node: Node, type: string, known: ReadonlySet<string>): Array<[string, Node | null, Pair]> {
    if (!isMap(node)) {
      this.cannot(node, type);
      return [];
    }
    const out: Array<[string, Node | null, Pair]> = [];
    for (const pair of (node as YAMLMap).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!known.has(key)) {
        if (this.strict) this.fail(pair.key as Node, `field ${key} not found in type ${type}`);
        continue;
      }
      out.push([key, (pair.value as Node | null) ?? null, pair]);
    }
    return out;
  }

  string(node: Node | null): string {
    if (node === null) return '';
    if (!isScalar(node)) {
      this.cannot(node, 'string');
      return '';
    }
    return node.value === null ? '' : String(node.source ?? node.value);
  }

  int(node: Node | null): number {
    if (node === null) return 0;
    if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) return node.value;
    this.cannot(node, 'int');
    return 0;
  }

  durationMs(node: Node | null): number {
    const text = this.string(node);
    if (text === '') return 0;
    const d = parsePromDuration(text);
    if (!d.ok) {
      this.fail(node, d.error);
      return 0;
    }
    return Number(d.value / 1_000_000n);
  }

  strings(node: Node | null): Record<string, string> {
    const out: Record<string, string> = {};
    if (node === null || (isScalar(node) && node.value === null)) return out;
    if (!isMap(node)) {
      this.cannot(node, 'map[string]string');
      return out;
    }
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      out[key] = this.string((pair.value as Node | null) ?? null);
    }
    return out;
  }

  rule(node: Node): RuleDesc {
    const f: { -readonly [K in keyof RuleDesc]?: RuleDesc[K] } = {};
    for (const [key, value] of this.pairs(node, 'rulefmt.Rule', RULE_KEYS)) {
      switch (key) {
        case 'record': f.record = this.string(value); break;
        case 'alert': f.alert = this.string(value); break;
        case 'expr': f.expr = this.string(value); break;
        case 'for': f.forMs = this.durationMs(value); break;
        case 'keep_firing_for': f.keepFiringForMs = this.durationMs(value); break;
        case 'labels': f.labels = this.strings(value); break;
        case 'annotations': f.annotations = this.strings(value); break;
      }
    }
    return ruleDesc(f);
  }

  group(node: Node): DecodedGroup {
    let name = '';
    let intervalMs = 0;
    let limit = 0;
    const rules: RuleDesc[] = [];
    const ruleLines: number[] = [];
    for (const [key, value] of this.pairs(node, 'rulefmt.RuleGroup', GROUP_KEYS)) {
      switch (key) {
        case 'name': name = this.string(value); break;
        case 'interval': intervalMs = this.durationMs(value); break;
        case 'query_offset': this.durationMs(value); break; // parsed and dropped, as Loki does
        case 'limit': limit = this.int(value); break;
        case 'labels': this.strings(value); break; // parsed and dropped, as Loki does
        case 'rules':
          if (value === null || (isScalar(value) && value.value === null)) break;
          if (!isSeq(value)) {
            this.cannot(value, '[]rulefmt.Rule');
            break;
          }
          for (const item of value.items as Node[]) {
            rules.push(this.rule(item));
            ruleLines.push(this.line(item));
          }
          break;
      }
    }
    return { name, intervalMs, limit, rules, line: this.line(node), ruleLines };
  }
}

function parse(text: string, strict: boolean): { root: Node | null; decoder: Decoder } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, version: '1.2' });
  const first = doc.errors[0];
  if (first) {
    const at = lines.linePos(first.pos[0]).line;
    throw new RuleYamlError(`yaml: line ${at}: ${first.message.split('\n')[0] ?? ''}`);
  }
  return { root: (doc.contents as Node | null) ?? null, decoder: new Decoder(lines, strict) };
}

function unmarshalErrors(errors: readonly string[]): RuleYamlError {
  return new RuleYamlError(`yaml: unmarshal errors:\n  ${errors.join('\n  ')}`);
}

/** Decode a rule file strictly; throws RuleYamlError. An empty file holds no groups. */
export function decodeRuleFile(text: string): DecodedGroup[] {
  const { root, decoder } = parse(text, true);
  if (root === null || (isScalar(root) && root.value === null)) return [];
  const groups: DecodedGroup[] = [];
  for (const [, value] of decoder.pairs(root, 'rulefmt.RuleGroups', new Set(['groups']))) {
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (!isSeq(value)) {
      decoder.fail(value, `cannot unmarshal ${isMap(value) ? '!!map' : '!!str'} into []rulefmt.RuleGroup`);
      continue;
    }
    for (const item of value.items as Node[]) groups.push(decoder.group(item));
  }
  if (decoder.errors.length > 0) throw unmarshalErrors(decoder.errors);
  return groups;
}

/** Decode one group posted to the rules API, ignoring unknown keys; throws RuleYamlError. */
export function decodeRuleGroup(text: string): DecodedGroup {
  const { root, decoder } = parse(text, false);
  if (root === null) return decoder.group(parseDocument('{}').contents as Node);
  const group = decoder.group(root);
  if (decoder.errors.length > 0) throw unmarshalErrors(decoder.errors);
  return group;
}
