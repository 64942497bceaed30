/**
 * `detected_level` discovery at ingest, as Loki's distributor field detection (`discover_log_levels`):
 * from a `detected_level` already sent (normalised), else a level label, else level structured
 * metadata, else OTLP severity_number, else the line (JSON up to depth 2, logfmt, or a bounded
 * keyword search). Pure.
 */
import type { Label, Labels } from '../../schemas/index.js';

/** Loki's name of the structured metadata pair. */
export const DETECTED_LEVEL = 'detected_level';

/** Loki's default fields that carry a level (`validation.DefaultAllowedLevelFields`). */
export const LEVEL_FIELDS = [
  'level', 'LEVEL', 'Level', 'log.level', 'severity', 'SEVERITY', 'Severity', 'SeverityText', 'lvl', 'LVL', 'Lvl',
  'severity_text', 'Severity_Text', 'SEVERITY_TEXT',
] as const;
const LEVEL_FIELD_SET = new Set<string>(LEVEL_FIELDS);
const JSON_MAX_DEPTH = 2;

const KNOWN: Record<string, string> = {
  trace: 'trace', trc: 'trace', debug: 'debug', dbg: 'debug', info: 'info', inf: 'info', information: 'info',
  warn: 'warn', wrn: 'warn', warning: 'warn', error: 'error', err: 'error', critical: 'critical', fatal: 'fatal',
};

/** A level word mapped to Loki's level names; unknown words are returned unchanged. */
export function normalizeLevel(level: string): string {
  return KNOWN[level.toLowerCase()] ?? level;
}

const PATTERNS: ReadonlyArray<readonly [string, string]> = [
  ['trace', 'trace'], ['debug', 'debug'], ['fatal', 'fatal'], ['critical', 'critical'], ['error', 'error'],
  ['err', 'error'], ['warning', 'warn'], ['warn', 'warn'], ['info', 'info'],
];
const LEFT = new Set([' ', '\t', '\n', '[', '(', '{', '"', "'", '=', '|']);
const RIGHT = new Set([' ', '\t', '\n', '[', ']', '(', ')', '{', '}', ':', ',', '!', '"', "'", '=', '|']);

function indexOfBounded(s: string, word: string): number {
  let from = 0;
  for (;;) {
    const at = s.indexOf(word, from);
    if (at < 0) return -1;
    const left = at === 0 || LEFT.has(s[at - 1] as string);
    const end = at + word.length;
    const right = end >= s.length || RIGHT.has(s[end] as string);
    if (left && right) return at;
    from = at + 1;
  }
}

/** The earliest level keyword standing as a word in the line, else `unknown`. */
export function levelFromText(line: string): string {
  const lower = line.toLowerCase();
  let best = lower.length;
  let level = 'unknown';
  for (const [word, name] of PATTERNS) {
    const at = indexOfBounded(lower, word);
    if (at < 0 || at >= best) continue;
    best = at;
    level = name;
    if (at === 0) break;
  }
  return level;
}

function isJsonObject(line: string): boolean {
  const a = line.trimStart();
  const b = line.trimEnd();
  return a.startsWith('{') && b.endsWith('}');
}

function levelFromJson(line: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  const walk = (obj: unknown, depth: number): string | null => {
    if (depth >= JSON_MAX_DEPTH || typeof obj !== 'object' || obj === null || Array.isArray(obj)) return null;
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v === 'string' && LEVEL_FIELD_SET.has(k)) return v;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const found = walk(v, depth + 1);
        if (found !== null) return found;
      }
    }
    return null;
  };
  return walk(parsed, 0);
}

/** logfmt scan: the value of the highest-priority level field (keys compared case-insensitively). */
function levelFromLogfmt(line: string): string | null {
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|[^\s]*)/g;
  let best: string | null = null;
  let bestRank: number = LEVEL_FIELDS.length;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const key = (m[1] as string).toLowerCase();
    for (let r = 0; r < bestRank; r++) {
      if ((LEVEL_FIELDS[r] as string).toLowerCase() === key) {
        let v = m[2] as string;
        if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
        best = v;
        bestRank = r;
        break;
      }
    }
    if (bestRank === 0) break;
  }
  return best;
}

function levelFromLine(line: string): string {
  let value: string | null = null;
  if (isJsonObject(line)) value = levelFromJson(line);
  else if (line.includes('=')) value = levelFromLogfmt(line);
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

function firstOf(labels: readonly Label[]): string | null {
  for (const field of LEVEL_FIELDS) {
    const hit = labels.find((l) => l.name === field);
    if (hit) return hit.value;
  }
  return null;
}

/**
 * The structured metadata of an entry after level discovery: unchanged when it has a
 * `detected_level` (whose value is normalised in place), else with `detected_level` appended.
 * `lineText` is the line decoded (latin1 is enough: only ASCII is compared).
 */
export function withDetectedLevel(streamLabels: Labels, sm: readonly Label[], lineText: () => string): readonly Label[] {
  const i = sm.findIndex((l) => l.name === DETECTED_LEVEL);
  if (i >= 0) {
    const v = (sm[i] as Label).value;
    const norm = normalizeLevel(v);
    if (norm === v) return sm;
    const out = [...sm];
    out[i] = { name: DETECTED_LEVEL, value: norm };
    return out;
  }
  const fromLabel = firstOf(streamLabels);
  let level: string;
  if (fromLabel !== null) level = normalizeLevel(fromLabel);
  else {
    const fromSm = firstOf(sm);
    if (fromSm !== null) level = normalizeLevel(fromSm);
    else {
      const sev = sm.find((l) => l.name === 'severity_number');
      level = sev ? severityToLevel(sev.value) : levelFromLine(lineText());
    }
  }
  if (level === '') return sm;
  return [...sm, { name: DETECTED_LEVEL, value: level }];
}
