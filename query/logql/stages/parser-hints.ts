/**
 * Loki's parser hints (pkg/logql/log/parser_hints.go): what a query needs its parsers to extract.
 * A metric query grouped `by (…)` needs only the grouping labels and those its stages read; one
 * with no output labels (`sum(…)`, `by ()`) needs only what its stages read, or nothing at all —
 * then parsers do not run, and so set no `__error__`. Label filters on a single label are also
 * handed to the parsers, which drop a line as soon as the label they extract fails its filter.
 * Parsers stop early once every required label is extracted. Log queries get only the filters.
 * Following these rules is what makes Fjord's answers (which lines carry `__error__`) Loki's. Pure.
 */
import type { LabelFilter, Stage } from '../ast.js';
import { compileTemplate } from '../template/template-exec.js';
import { ERROR_DETAILS_LABEL, ERROR_LABEL } from './error-labels.js';
import { keyNames, type KeyNames } from './key-names.js';
import { compileLabelFilter, type LabelPredicate } from './label-filters.js';

const DUPLICATE_SUFFIX = '_extracted';

/** The hints of one query's parsers. */
export interface ParserHints {
  /** Extract nothing (Loki's noLabels with no required labels). */
  readonly noLabels: boolean;
  /** The only labels to extract; null extracts every label. */
  readonly required: readonly string[] | null;
  /** `required` with the first bytes of keys that may name one (null with it). */
  readonly requiredKeys: KeyNames | null;
  /** True when `__error__` is required: parser errors then also set `__preserve_error__`. */
  readonly preserveError: boolean;
  /** Per label name, the first single-label filter of the query on it. */
  readonly filters: ReadonlyMap<string, LabelPredicate>;
}

/** Hints that change nothing: extract every label, no filters handed down. */
export const NO_HINTS: ParserHints = Object.freeze({ noLabels: false, required: null, requiredKeys: null, preserveError: false, filters: new Map() });

/** Loki's RequiredLabelNames of a label filter. */
function filterNames(f: LabelFilter): string[] {
  switch (f.kind) {
    case 'and':
    case 'or':
      return unique([...filterNames(f.left), ...filterNames(f.right)]);
    case 'string': return [f.matcher.name];
    case 'number':
    case 'duration':
    case 'bytes':
    case 'ip':
      return [f.name];
  }
}

/** Loki's RequiredLabelNames of a stage: label filters, and the fields line_format / label_format templates read. */
export function stageRequiredLabels(stage: Stage): string[] {
  switch (stage.kind) {
    case 'labelFilter': return filterNames(stage.filter);
    case 'lineFormat': return unique(compileTemplate('line', stage.template).fields);
    case 'labelFormat': return unique(stage.formats.flatMap((f) => (f.rename ? [f.value] : compileTemplate('label', f.value).fields)));
    default: return [];
  }
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names.filter((n) => n !== ''))];
}

/** Loki's appendLabelHints: a name ending in `_extracted` also hints the name without it. */
function withUnsuffixed(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    out.push(n);
    if (n.endsWith(DUPLICATE_SUFFIX)) out.push(n.slice(0, -DUPLICATE_SUFFIX.length));
  }
  return out;
}

/** The single-label filters of `filters`, in order: what parsers check as they extract. */
function handedDownFilters(filters: readonly LabelFilter[]): Map<string, LabelPredicate> {
  const out = new Map<string, LabelPredicate>();
  for (const f of filters) {
    if (f.kind === 'and' || f.kind === 'or') continue;
    const [name] = filterNames(f);
    if (name !== undefined && !out.has(name)) out.set(name, compileLabelFilter(f, { kind: 'labelFilter', filter: f }));
  }
  return out;
}

/**
 * Loki's NewParserHint. `stages` are the query's stages (for an unwrap: with its post filters
 * appended as `postFilters`); `groups`, `without` and `noLabels` the effective grouping of the range
 * aggregation; `metricLabel` the unwrapped label ('' for none).
 */
export function parserHints(
  stages: readonly Stage[],
  postFilters: readonly LabelFilter[],
  groups: readonly string[],
  without: boolean,
  noLabels: boolean,
  metricLabel: string,
): ParserHints {
  const stageNames = stages.flatMap(stageRequiredLabels);
  // Loki reduces the unwrap's post filters to one (an `and` when there are several).
  const post = postFilters.length === 1 ? postFilters : [];
  const postNames = postFilters.flatMap(filterNames);
  const hints = unique(withUnsuffixed([...stageNames, ...postNames, ...groups, metricLabel]));
  const filters = handedDownFilters([...stages.flatMap((s) => (s.kind === 'labelFilter' ? [s.filter] : [])), ...post]);
  // hints naming `__error__` make parsers mark errors `__preserve_error__`
  const preserveError = hints.includes(ERROR_LABEL);
  if (noLabels) {
    if (hints.length > 0) return { noLabels: false, required: hints, requiredKeys: keyNames(hints), preserveError, filters };
    return { noLabels: true, required: null, requiredKeys: null, preserveError: false, filters: new Map() };
  }
  if (without || groups.length === 0) return { noLabels: false, required: null, requiredKeys: null, preserveError: false, filters };
  return { noLabels: false, required: hints, requiredKeys: keyNames(hints), preserveError, filters: new Map() };
}

/** Stages that leave a label a parser extracted as it was: parsers that keep a name's first value, and filters. */
function keepsExtractedLabels(s: Stage): boolean {
  return ((s.kind === 'json' || s.kind === 'logfmt') && s.extractions.length === 0) || s.kind === 'lineFilter' || s.kind === 'labelFilter';
}

/**
 * The label filter stages whose filter parsers already run, each with its label: the first
 * single-label filter on a name is handed down to the parsers (handedDownFilters), so on a line
 * where a parser extracted the label and the filter passed, the stage need not run it again when
 * only such stages came before it, as none of them changes an extracted label. Error labels are
 * left out: parsers set them after they check.
 */
export function filtersRunByParsers(stages: readonly Stage[]): Map<Stage, string> {
  const out = new Map<Stage, string>();
  const handed = new Set<string>();
  let settled = true;
  for (const s of stages) {
    if (!keepsExtractedLabels(s)) settled = false;
    if (s.kind !== 'labelFilter' || s.filter.kind === 'and' || s.filter.kind === 'or') continue;
    const [name] = filterNames(s.filter);
    if (name === undefined || handed.has(name)) continue;
    handed.add(name);
    if (settled && name !== ERROR_LABEL && name !== ERROR_DETAILS_LABEL) out.set(s, name);
  }
  return out;
}

/** The hints of a log query: its single-label filters only. */
export function logQueryHints(stages: readonly Stage[]): ParserHints {
  return parserHints(stages, [], [], false, false, '');
}
