/**
 * `detected_level` discovery at ingest, as Loki's distributor field detection (`discover_log_levels`,
 * `L:pkg/distributor/field_detection.go`): from a `detected_level` already sent (normalised), else a
 * level label, else level structured metadata, else OTLP severity_number, else the line — JSON (a
 * string field named like a level, two levels deep), logfmt (the highest-priority level key), or the
 * earliest level keyword standing as a word. Lines are scanned as bytes: no string per line. Pure.
 */
import type { Label, Labels } from '../../schemas/index.js';

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

const KNOWN: Record<string, string> = {
  trace: 'trace', trc: 'trace', debug: 'debug', dbg: 'debug', info: 'info', inf: 'info', information: 'info',
  warn: 'warn', wrn: 'warn', warning: 'warn', error: 'error', err: 'error', critical: 'critical', fatal: 'fatal',
};

/** A level word mapped to Loki's level names; unknown words are returned unchanged. */
export function normalizeLevel(level: string): string {
  return KNOWN[level.toLowerCase()] ?? level;
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
const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);

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

const WS = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Scans one JSON object for a string field named like a level (Loki: jsonparser.ObjectEach, depth-limited). */
class JsonLevelScan {
  i = 0;
  constructor(private readonly b: Uint8Array) {}

  private ws(): void {
    while (WS(this.b[this.i])) this.i++;
  }

  /** Read a string at i (at its opening quote); returns its raw bytes' range and whether it had escapes. */
  private string(): [number, number, boolean] | null {
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

  private text([s, e, escaped]: [number, number, boolean]): string {
    const raw = Buffer.from(this.b.buffer, this.b.byteOffset + s, e - s).toString('utf8');
    if (!escaped) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  }

  /** The level value of the object at i, or null. */
  object(depth: number): string | null {
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
        if (key[1] - key[0] <= 13 && LEVEL_FIELD_SET.has(this.text(key))) return this.text(value);
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

/** logfmt: the value of the highest-priority level key (keys compared case-insensitively). */
function levelFromLogfmt(b: Uint8Array): string | null {
  let best: string | null = null;
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
    const len = ke - ks;
    if (len >= 3 && len <= 13) {
      const key = Buffer.from(b.buffer, b.byteOffset + ks, len).toString('latin1').toLowerCase();
      const rank = LOGFMT_FIELDS.indexOf(key);
      if (rank >= 0 && rank < bestRank) {
        best = Buffer.from(b.buffer, b.byteOffset + vs, ve - vs).toString('utf8');
        bestRank = rank;
        if (rank === 0) break;
      }
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
  let value: string | null;
  if (isJsonObject(line)) value = new JsonLevelScan(line).object(0);
  else if (line.includes(0x3d)) value = levelFromLogfmt(line);
  else return levelFromText(line);
  const known = value === null ? undefined : KNOWN[value.toLowerCase()];
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
  for (const l of labels) {
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
  return [...sm, { name: DETECTED_LEVEL, value: level }];
}
