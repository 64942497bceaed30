/**
 * A byte pre-check for the commonest metric pipeline shape, `| json | x > 5` or `| logfmt | x="a"`:
 * a filter that fails whenever its label is missing drops every line the parser cannot give the
 * label to, and a parser can only give a label whose name has no `_` to a line holding that name
 * literally (a logfmt key, or an unescaped JSON key, sanitises to the name only by being it). So a
 * line without the name is dropped before it is parsed. Exact: lines that hold the name, that
 * have a JSON escape, or whose stream or structured metadata has the label are parsed as before.
 * Pure.
 */
import type { Labels } from '../../../schemas/labels/index.js';
import type { LabelFilter, Stage } from '../ast.js';

/** The label whose absence from a line drops it, and whether the parser is `| json`. */
export interface PresenceCheck {
  readonly label: string;
  readonly bytes: Buffer;
  readonly json: boolean;
}

/** Labels of a filter every one of which must be present for the filter to pass. */
function labelsThatMustExist(f: LabelFilter): string[] {
  switch (f.kind) {
    case 'and': return [...labelsThatMustExist(f.left), ...labelsThatMustExist(f.right)];
    case 'or': return [];
    // a missing label fails a typed comparison; read as "", it fails `= "v"` for any v but ""
    case 'number':
    case 'duration':
    case 'bytes':
      return [f.name];
    case 'string': return f.matcher.type === '=' && f.matcher.value !== '' ? [f.matcher.name] : [];
    case 'ip': return [];
  }
}

/** The check for `stages` (after leading line filters), or null when the shape does not allow one. */
export function presenceCheck(stages: readonly Stage[]): PresenceCheck | null {
  const [parser, filter] = stages;
  if (parser === undefined || filter === undefined || filter.kind !== 'labelFilter') return null;
  if (!((parser.kind === 'json' || parser.kind === 'logfmt') && parser.extractions.length === 0)) return null;
  const label = labelsThatMustExist(filter.filter).find((l) => !l.includes('_'));
  if (label === undefined) return null;
  return { label, bytes: Buffer.from(label, 'utf8'), json: parser.kind === 'json' };
}

/** True when the check can apply to a stream: its labels do not have the label already. */
export function appliesToStream(check: PresenceCheck, streamLabels: Labels): boolean {
  return !streamLabels.some((l) => l.name === check.label);
}

/** True when the line may get the label (it must be parsed); false when it is certainly dropped. */
export function mayHaveLabel(check: PresenceCheck, line: Buffer, sm: Labels): boolean {
  if (line.indexOf(check.bytes) >= 0) return true;
  if (check.json && line.indexOf(0x5c) >= 0) return true;
  for (const l of sm) if (l.name === check.label || l.name === check.label + '_extracted') return true;
  return false;
}
