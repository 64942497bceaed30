/**
 * `detected_level` discovery at ingest, as Loki's distributor field detection (`discover_log_levels`,
 * `L:pkg/distributor/field_detection.go`): from a `detected_level` already sent (normalised), else a
 * level label, else level structured metadata, else OTLP severity_number, else the line — JSON (a
 * string field named like a level, two levels deep), logfmt (the highest-priority level key), or the
 * earliest level keyword standing as a word. Lines are scanned as bytes: no string per line. Pure.
 */
import type { Label, Labels } from '../../schemas/labels/index.js';

/** Loki's name of the structured metadata pair. */
export const DETECTED_LEVEL = 'detected_level';

/** Loki's default fields that carry a level (`validation.DefaultAllowedLevelFields`), in priority order. */
export const LEVEL_FIELDS = [
  'level', 'LEVEL', 'Level', 'log.level', 'severity', 'SEVERITY', 'Severity', 'SeverityText', 'lvl', 'LVL', 'Lvl',
  'severity_text', 'Severity_Text', 'SEVERITY_TEXT',
] as const;
const LEVEL_FIELD_SET = new Set<string>(LEVEL_FIELDS);
/** logfmt keys compare case-insensitively: the distinct lower-cased names in priority order. */
const LOGFMT_FIELDS = [...new Set(LEVEL_FIELDS.map((f) => f.toLowerCase()))];
const JSON_MAX_DEPTH = 2;

const KNOWN = new Map<string, string>(Object.entries({
  trace: 'trace', trc: 'trace', debug: 'debug', dbg: 'debug', info: 'info', inf: 'info', information: 'info',
  warn: 'warn', wrn: 'warn', warning: 'warn', error: 'error', err: 'error', critical: 'critical', fatal: 'fatal',
}));

/** A level word mapped to Loki's level names; unknown words are returned unchanged. */
export function normalizeLevel(level: string): string {
  return KNOWN.get(level.toLowerCase()) ?? level;
}

const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);

/** Names matched against bytes without making a string: bucketed by length, compared byte by byte. */
class ByteNames {
  private readonly byLength: Array<Array<readonly [Uint8Array, number]>> = [];

  /** `names` in rank order; with `foldCase` names must be lower case and input bytes are lower-cased. */
  constructor(names: readonly string[], private readonly foldCase: boolean) {
    names.forEach((name, rank) => {
      const bytes = Buffer.from(name, 'latin1');
      (this.byLength[bytes.length] ??= []).push([bytes, rank]);
    });
  }

  /** The rank of the name equal to `b[s..e)`, or -1. */
  rank(b: Uint8Array, s: number, e: number): number {
    const candidates = this.byLength[e - s];
    if (candidates === undefined) return -1;
    for (const [name, rank] of candidates) {
      let k = 0;
      while (k < name.length && (this.foldCase ? lower(b[s + k] as number) : b[s + k]) === name[k]) k++;
      if (k === name.length) return rank;
    }
    return -1;
  }
}

const KNOWN_WORDS = [...KNOWN.keys()];
const KNOWN_BYTES = new ByteNames(KNOWN_WORDS, true);
const LEVEL_FIELD_BYTES = new ByteNames(LEVEL_FIELDS, false);

/** Loki's level for the word `b[s..e)` (any case), or null when it is not a level word. */
function knownLevel(b: Uint8Array, s: number, e: number): string | null {
  const rank = KNOWN_BYTES.rank(b, s, e);
  return rank < 0 ? null : (KNOWN.get(KNOWN_WORDS[rank] as string) as string);
}

const PATTERNS: ReadonlyArray<readonly [Uint8Array, string]> = (
  [['trace', 'trace'], ['debug', 'debug'], ['fatal', 'fatal'], ['critical', 'critical'], ['error', 'error'],
    ['err', 'error'], ['warning', 'warn'], ['warn', 'warn'], ['info', 'info']] as const
).map(([w, l]) => [Buffer.from(w), l] as const);
/** Bytes that may start a level keyword, either case. */
const LEADS = new Uint8Array(256);
for (const [w] of PATTERNS) {
  LEADS[w[0] as number] = 1;
  LEADS[(w[0] as number) - 0x20] = 1;
}

const isLeft = (c: number | undefined) =>
  c === undefined || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x5b || c === 0x28 || c === 0x7b || c === 0x22 || c === 0x27 || c === 0x3d || c === 0x7c;
const isRight = (c: number | undefined) =>
  c === undefined || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x5b || c === 0x5d || c === 0x28 || c === 0x29 || c === 0x7b ||
  c === 0x7d || c === 0x3a || c === 0x2c || c === 0x21 || c === 0x22 || c === 0x27 || c === 0x3d || c === 0x7c;

/** The earliest level keyword standing as a word in the line (case-insensitive), else `unknown`. */
export function levelFromText(line: Uint8Array): string {
  for (let i = 0; i < line.length; i++) {
    if (LEADS[line[i] as number] === 0 || !isLeft(i === 0 ? undefined : line[i - 1])) continue;
    const c = lower(line[i] as number);
    for (const [word, level] of PATTERNS) {
      if (word[0] !== c || i + word.length > line.length) continue;
      let ok = true;
      for (let k = 1; k < word.length && ok; k++) ok = lower(line[i + k] as number) === word[k];
      if (ok && isRight(line[i + word.length])) return level;
    }
  }
  return 'unknown';
}

/** A string's raw bytes `[start, end)` in the line and whether it holds escapes. */
type Range = [start: number, end: number, escaped: boolean];

const WS = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Scans one JSON object for a string field named like a level (Loki: jsonparser.ObjectEach, depth-limited). */
class JsonLevelScan {
  i = 0;
  constructor(private readonly b: Uint8Array) {}

  private ws(): void {
    while (WS(this.b[this.i])) this.i++;
  }

  /** Read a string at i (at its opening quote); returns its raw bytes' range and whether it had escapes. */
  private string(): Range | null {
    if (this.b[this.i] !== 0x22) return null;
    const start = ++this.i;
    let escaped = false;
    while (this.i < this.b.length) {
      const c = this.b[this.i];
      if (c === 0x5c) {
        escaped = true;
        this.i += 2;
        continue;
      }
      if (c === 0x22) return [start, this.i++, escaped];
      this.i++;
    }
    return null;
  }

  /** Skip any JSON value; false when malformed. */
  private skip(): boolean {
    const c = this.b[this.i];
    if (c === 0x22) return this.string() !== null;
    if (c === 0x7b || c === 0x5b) {
      let depth = 0;
      while (this.i < this.b.length) {
        const d = this.b[this.i];
        if (d === 0x22) {
          if (this.string() === null) return false;
          continue;
        }
        if (d === 0x7b || d === 0x5b) depth++;
        else if (d === 0x7d || d === 0x5d) {
          depth--;
          if (depth === 0) {
            this.i++;
            return true;
          }
        }
        this.i++;
      }
      return false;
    }
    while (this.i < this.b.length && !WS(this.b[this.i]) && this.b[this.i] !== 0x2c && this.b[this.i] !== 0x7d && this.b[this.i] !== 0x5d) this.i++;
    return true;
  }

  /** The text of a string range, JSON escapes decoded. */
  text([s, e, escaped]: Range): string {
    const raw = Buffer.from(this.b.buffer, this.b.byteOffset + s, e - s).toString('utf8');
    if (!escaped) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  }

  private isLevelField(key: Range): boolean {
    return key[2] ? LEVEL_FIELD_SET.has(this.text(key)) : LEVEL_FIELD_BYTES.rank(this.b, key[0], key[1]) >= 0;
  }

  /** The string value of the first level field of the object at i, or null. */
  object(depth: number): Range | null {
    this.ws();
    if (this.b[this.i] !== 0x7b) return null;
    this.i++;
    for (;;) {
      this.ws();
      if (this.b[this.i] === 0x7d) return null;
      const key = this.string();
      if (!key) return null;
      this.ws();
      if (this.b[this.i] !== 0x3a) return null;
      this.i++;
      this.ws();
      const c = this.b[this.i];
      if (c === 0x22) {
        const value = this.string();
        if (!value) return null;
        if (key[1] - key[0] <= 13 && this.isLevelField(key)) return value;
      } else if (c === 0x7b && depth + 1 < JSON_MAX_DEPTH) {
        const found = this.object(depth + 1);
        if (found !== null) return found;
        if (this.b[this.i - 1] !== 0x7d) return null;
      } else if (!this.skip()) return null;
      this.ws();
      if (this.b[this.i] === 0x2c) {
        this.i++;
        continue;
      }
      return null;
    }
  }
}

const LOGFMT_FIELD_BYTES = new ByteNames(LOGFMT_FIELDS, true);

/** logfmt: the value of the highest-priority level key (keys compared case-insensitively), as bytes `[start, end)`. */
function levelFromLogfmt(b: Uint8Array): [number, number] | null {
  let best: [number, number] | null = null;
  let bestRank = LOGFMT_FIELDS.length;
  let i = 0;
  while (i < b.length) {
    while (i < b.length && b[i]! <= 0x20) i++;
    const ks = i;
    while (i < b.length && b[i]! > 0x20 && b[i] !== 0x3d && b[i] !== 0x22) i++;
    const ke = i;
    let vs = i;
    let ve = i;
    if (b[i] === 0x3d) {
      i++;
      if (b[i] === 0x22) {
        vs = ++i;
        while (i < b.length && b[i] !== 0x22) i += b[i] === 0x5c ? 2 : 1;
        ve = Math.min(i, b.length);
        i++;
      } else {
        vs = i;
        while (i < b.length && b[i]! > 0x20) i++;
        ve = i;
      }
    } else if (ke === ks) i++;
    const rank = LOGFMT_FIELD_BYTES.rank(b, ks, ke);
    if (rank >= 0 && rank < bestRank) {
      best = [vs, ve];
      bestRank = rank;
      if (rank === 0) break;
    }
  }
  return best;
}

function isJsonObject(b: Uint8Array): boolean {
  let s = 0;
  let e = b.length - 1;
  while (s <= e && WS(b[s])) s++;
  while (e >= s && WS(b[e])) e--;
  return b[s] === 0x7b && b[e] === 0x7d;
}

function levelFromLine(line: Uint8Array): string {
  let known: string | null = null;
  if (isJsonObject(line)) {
    const scan = new JsonLevelScan(line);
    const value = scan.object(0);
    if (value !== null) known = value[2] ? (KNOWN.get(scan.text(value).toLowerCase()) ?? null) : knownLevel(line, value[0], value[1]);
  } else if (line.includes(0x3d)) {
    const value = levelFromLogfmt(line);
    if (value !== null) known = knownLevel(line, value[0], value[1]);
  }
  return known ?? levelFromText(line);
}

function severityToLevel(text: string): string {
  const n = Number(text);
  if (!Number.isInteger(n)) return 'info';
  if (n === 0) return 'unknown';
  if (n <= 4) return 'trace';
  if (n <= 8) return 'debug';
  if (n <= 12) return 'info';
  if (n <= 16) return 'warn';
  if (n <= 20) return 'error';
  if (n <= 24) return 'fatal';
  return 'unknown';
}

const FIELD_RANK = new Map<string, number>(LEVEL_FIELDS.map((f, i) => [f, i]));

/** The value of the highest-priority level field among `labels`, or null. */
function firstOf(labels: readonly Label[]): string | null {
  let best: string | null = null;
  let rank: number = LEVEL_FIELDS.length;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as Label;
    const r = FIELD_RANK.get(l.name);
    if (r !== undefined && r < rank) {
      rank = r;
      best = l.value;
    }
  }
  return best;
}

/** The level a stream's labels give every entry (normalised), or null: compute once per stream. */
export function levelFromStreamLabels(streamLabels: Labels): string | null {
  const v = firstOf(streamLabels);
  return v === null ? null : normalizeLevel(v);
}

/**
 * The structured metadata of an entry after level discovery: unchanged when it has a
 * `detected_level` (whose value is normalised in place), else with `detected_level` appended.
 * `streamLevel` is `levelFromStreamLabels` of the entry's stream.
 */
export function withDetectedLevel(streamLevel: string | null, sm: readonly Label[], line: Uint8Array): readonly Label[] {
  const i = sm.length === 0 ? -1 : sm.findIndex((l) => l.name === DETECTED_LEVEL);
  if (i >= 0) {
    const v = (sm[i] as Label).value;
    const norm = normalizeLevel(v);
    if (norm === v) return sm;
    const out = [...sm];
    out[i] = { name: DETECTED_LEVEL, value: norm };
    return out;
  }
  let level: string;
  if (streamLevel !== null) level = streamLevel;
  else {
    const fromSm = firstOf(sm);
    if (fromSm !== null) level = normalizeLevel(fromSm);
    else {
      const sev = sm.length > 0 ? sm.find((l) => l.name === 'severity_number') : undefined;
      level = sev ? severityToLevel(sev.value) : levelFromLine(line);
    }
  }
  if (level === '') return sm;
  return sm.length === 0 ? levelOnly(level) : [...sm, { name: DETECTED_LEVEL, value: level }];
}

/** Shared, frozen `[detected_level=<level>]` lists for the common case of entries without structured metadata. */
const LEVEL_ONLY = new Map<string, readonly Label[]>();
const LEVEL_ONLY_MAX = 64;

function levelOnly(level: string): readonly Label[] {
  let sm = LEVEL_ONLY.get(level);
  if (sm === undefined) {
    sm = Object.freeze([Object.freeze({ name: DETECTED_LEVEL, value: level })]);
    if (LEVEL_ONLY.size < LEVEL_ONLY_MAX) LEVEL_ONLY.set(level, sm);
  }
  return sm;
}
