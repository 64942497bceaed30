/**
 * The log lines view: a row per line (time, level mark, line) with its stream labels and
 * structured metadata as chips; clicking a row expands its fields. Clicking a stream label chip
 * adds it to the selector; clicking a metadata or parsed field filters on it.
 */
import { el } from '../shared/dom.js';
import type { LogLine } from '../shared/loki-client.js';
import { parseLineFields } from './line-fields.js';

/** What a click on a label or field asks for. */
export interface LabelClick {
  readonly kind: 'stream' | 'field';
  readonly name: string;
  readonly value: string;
  readonly op: '=' | '!=';
}

const LEVEL_KEYS = ['level', 'detected_level', 'lvl', 'severity'];

/** The line's level from its labels, metadata or parsed fields ('unknown' when none says). */
export function levelOf(l: LogLine): string {
  for (const k of LEVEL_KEYS) {
    const v = l.labels[k] ?? l.structuredMetadata[k] ?? l.parsed[k];
    if (v !== undefined && v !== '') return v.toLowerCase();
  }
  return 'unknown';
}

/** Local `YYYY-MM-DD HH:MM:SS.mmm` of a nanosecond timestamp. */
export function formatTs(tsNs: string): string {
  const ms = Number(BigInt(tsNs) / 1_000_000n);
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function chips(fields: Readonly<Record<string, string>>, kind: LabelClick['kind'], cls: string, onLabel: (c: LabelClick) => void): HTMLElement[] {
  return Object.entries(fields).map(([name, value]) =>
    el('button', {
      class: `chip ${cls}`, type: 'button', title: kind === 'stream' ? 'Add to the selector' : 'Filter on this value',
      'data-label': name, 'data-value': value,
      onclick: (e: Event) => {
        e.stopPropagation();
        onLabel({ kind, name, value, op: '=' });
      },
    }, `${name}=${value}`));
}

function fieldRows(title: string, fields: Readonly<Record<string, string>>, kind: LabelClick['kind'], onLabel: (c: LabelClick) => void): HTMLElement[] {
  const entries = Object.entries(fields);
  if (entries.length === 0) return [];
  return [
    el('tr', {}, el('th', { colspan: 4, class: 'fields-title' }, title)),
    ...entries.map(([name, value]) => el('tr', {},
      el('td', { class: 'field-actions' },
        el('button', { type: 'button', class: 'icon', title: 'Filter for this value', onclick: () => onLabel({ kind, name, value, op: '=' }) }, '+'),
        el('button', { type: 'button', class: 'icon', title: 'Filter out this value', onclick: () => onLabel({ kind, name, value, op: '!=' }) }, '−')),
      el('td', { class: 'field-name' }, name),
      el('td', { class: 'field-value' }, value))),
  ];
}

/** The expanded view of one line: labels, structured metadata, parsed fields. */
function details(l: LogLine, onLabel: (c: LabelClick) => void): HTMLElement {
  const parsed = Object.keys(l.parsed).length > 0 ? l.parsed : parseLineFields(l.line);
  return el('table', { class: 'line-details' }, el('tbody', {},
    ...fieldRows('Labels', l.labels, 'stream', onLabel),
    ...fieldRows('Structured metadata', l.structuredMetadata, 'field', onLabel),
    ...fieldRows(Object.keys(l.parsed).length > 0 ? 'Parsed fields' : 'Fields (read from the line)', parsed, 'field', onLabel),
    el('tr', {}, el('td', { class: 'field-actions' }), el('td', { class: 'field-name' }, 'timestamp (ns)'), el('td', { class: 'field-value' }, l.tsNs))));
}

/** One row for `l`. */
export function lineRow(l: LogLine, onLabel: (c: LabelClick) => void): HTMLElement {
  const level = levelOf(l);
  const row = el('div', { class: `log-row level-${level}`, 'data-level': level },
    el('div', { class: 'log-main' },
      el('span', { class: 'log-ts' }, formatTs(l.tsNs)),
      el('span', { class: 'log-line' }, l.line)),
    el('div', { class: 'log-labels' }, ...chips(l.labels, 'stream', 'chip-label', onLabel), ...chips(l.structuredMetadata, 'field', 'chip-meta', onLabel)));
  row.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('.line-details')) return;
    const open = row.querySelector('.line-details');
    if (open) open.remove();
    else row.append(details(l, onLabel));
    row.classList.toggle('expanded', !open);
  });
  return row;
}
