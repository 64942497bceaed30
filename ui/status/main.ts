/**
 * The cluster status page at `/status`: the processes, each partition's offsets and owners per
 * zone, the compactor, index bundles per period and ingestion per tenant, from `/status/api`,
 * refreshed every few seconds.
 */
import '../shared/style.css';
import { el, formatBytes } from '../shared/dom.js';
import { getJson } from '../shared/loki-client.js';
import { pageHeader } from '../shared/page-header.js';
import type { ClusterStatus, StatusPartition, StatusProcess } from './status-shape.js';

const REFRESH_MS = 5000;

const meta = el('div', { id: 'status-meta', class: 'meta' }, 'Loading…');
const pause = el('input', { type: 'checkbox', id: 'pause' });
const body = el('div', { id: 'status-body' });
let timer: ReturnType<typeof setTimeout> | undefined;

document.querySelector('#app')!.replaceChildren(
  pageHeader('status'),
  el('main', { class: 'status' },
    el('div', { class: 'controls' }, meta, el('label', { class: 'meta' }, pause, ' pause refresh')),
    body),
);

type Cell = string | number | Node | null;

/** Numbers, counts with separators and `1.5 s` read right-aligned. */
function isNumeric(c: Cell): boolean {
  return typeof c === 'number' || (typeof c === 'string' && /^(—|[\d,.]+( s)?)$/.test(c));
}

function num(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString();
}

function table(id: string, head: readonly string[], rows: readonly (readonly Cell[])[], rowClass: (i: number) => string = () => ''): HTMLElement {
  if (rows.length === 0) return el('p', { id, class: 'meta' }, 'None.');
  return el('table', { id, class: 'grid' },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((r, i) => el('tr', { class: rowClass(i) }, ...r.map((c) =>
      el('td', { class: isNumeric(c) ? 'num' : '' }, c === null ? '—' : typeof c === 'number' ? c.toLocaleString() : c))))));
}

function readyCell(p: StatusProcess): Node {
  if (p.error !== null) return el('span', { class: 'bad' }, `unreachable: ${p.error}`);
  return p.ready ? el('span', { class: 'ok' }, 'ready') : el('span', { class: 'bad' }, p.not_ready_reason ?? 'not ready');
}

function processesTable(ps: readonly StatusProcess[]): HTMLElement {
  return table('processes', ['Address', 'Target', 'Version', 'Readiness', 'Groups', 'Modules'], ps.map((p) => [
    p.address, p.target, p.version, readyCell(p), (p.groups ?? []).join(', '),
    (p.modules ?? []).map((m) => (m.state === 'Running' ? m.name : `${m.name} (${m.state})`)).join(', '),
  ]));
}

function partitionsTable(parts: readonly StatusPartition[]): HTMLElement {
  const rows: Cell[][] = [];
  const lagging: boolean[] = [];
  for (const p of parts) {
    const zones = p.zones.length > 0 ? p.zones : [null];
    for (const z of zones) {
      rows.push([
        p.partition, p.start_offset, p.end_offset, z?.zone ?? '—', z?.owner ?? 'no owner', num(z?.consumed_offset), num(z?.durable_offset),
        num(z?.committed_offset), num(z?.lag_records), z?.lag_seconds === null || z?.lag_seconds === undefined ? '—' : `${z.lag_seconds.toFixed(1)} s`,
        z?.replaying ? 'replaying' : '',
      ]);
      lagging.push((z?.lag_records ?? 0) > 0);
    }
  }
  return table('partitions', ['Partition', 'Start offset', 'End offset', 'Zone', 'Owner', 'Consumed', 'Durable', 'Committed', 'Lag (records)', 'Lag (time)', ''], rows,
    (i) => (lagging[i] ? 'lagging' : ''));
}

function compactorBlock(c: ClusterStatus['compactor']): HTMLElement {
  if (!c) return el('p', { class: 'meta' }, 'Not reported.');
  const r = c.last_round;
  return el('div', { id: 'compactor' },
    el('p', {}, 'Leader: ', c.leader ?? el('span', { class: 'meta' }, 'none known')),
    r === null ? el('p', { class: 'meta' }, 'No compaction round yet.') : table('compactor-round', ['Started', 'Finished', 'Duration', 'Result', 'Tables', 'Bundles replaced', 'Bundles written'], [[
      r.started, r.finished, `${r.duration_seconds.toFixed(2)} s`, r.ok ? el('span', { class: 'ok' }, 'ok') : el('span', { class: 'bad' }, r.error ?? 'failed'),
      r.tables, r.bundles_replaced, r.bundles_written,
    ]]));
}

function render(s: ClusterStatus): void {
  const errors = s.errors ?? [];
  body.replaceChildren(
    ...(errors.length > 0 ? [el('div', { class: 'message message-error' }, ...errors.map((e) => el('div', {}, e)))] : []),
    el('h2', {}, 'Processes'), processesTable(s.processes ?? []),
    el('h2', {}, `Partitions${s.log ? ` of ${s.log.topic} (${s.log.kind} log)` : ''}`), partitionsTable(s.partitions ?? []),
    el('h2', {}, 'Compactor'), compactorBlock(s.compactor),
    el('h2', {}, 'Index bundles per period'),
    s.index == null ? el('p', { class: 'meta' }, 'This process has no object store.')
      : table('index-periods', ['Period', 'Starts', 'Tenants', 'Bundles', 'Size'], s.index.periods.map((p) => [p.period, p.start, p.tenants, p.bundles, formatBytes(p.bytes)])),
    el('h2', {}, 'Ingestion per tenant'),
    table('tenants', ['Tenant', 'Lines/s', 'Bytes/s'], (s.tenants ?? []).map((t) => [t.tenant, t.lines_per_second.toFixed(2), `${formatBytes(t.bytes_per_second)}/s`])),
  );
}

async function refresh(): Promise<void> {
  clearTimeout(timer);
  try {
    const s = (await getJson('/status/api', {}, '')) as ClusterStatus;
    render(s);
    meta.textContent = `Updated ${new Date(s.time).toLocaleTimeString()} · refreshes every ${REFRESH_MS / 1000} s`;
  } catch (err) {
    meta.textContent = `Could not read /status/api: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!pause.checked) timer = setTimeout(() => void refresh(), REFRESH_MS);
}

pause.addEventListener('change', () => {
  if (!pause.checked) void refresh();
  else clearTimeout(timer);
});
void refresh();
