/** The log explorer at `/`: query, time range, volume histogram, lines or chart, live tail. */
import '../shared/style.css';
import { el, formatBytes } from '../shared/dom.js';
import { pageHeader } from '../shared/page-header.js';
import { ApiError, checkQuery, queryRange, type LogLine, type QuerySummary } from '../shared/loki-client.js';
import { drawHistogram, drawTimeSeries } from './charts.js';
import { downloadNdjson } from './download.js';
import { startTail, type LiveTail } from './live-tail.js';
import { lineRow, type LabelClick } from './log-lines.js';
import { createQueryBox } from './query-box.js';
import { addLabelFilter, addSelectorMatcher } from './selector-edit.js';
import { RELATIVE_PRESETS, formatAbsolute, formatStep, niceStepMs, resolveTime } from './time-range.js';
import { readState, writeState, type ExplorerState } from './url-state.js';

/** Lines kept on the page while tailing; older ones fall off the bottom. */
const MAX_TAIL_LINES = 1000;

const box = createQueryBox(() => void run(), (q) => checkQuery(q, tenantInput.value.trim()));
const presetSelect = el('select', { id: 'range-preset', 'aria-label': 'Time range' },
  ...RELATIVE_PRESETS.map((p) => el('option', { value: p.from }, p.label)), el('option', { value: 'custom' }, 'Custom range'));
const fromInput = el('input', { id: 'range-from', class: 'time-input', 'aria-label': 'From', title: 'now-1h, or an absolute time such as 2026-12-03 10:00:00' });
const toInput = el('input', { id: 'range-to', class: 'time-input', 'aria-label': 'To', title: 'now, or an absolute time' });
const limitInput = el('input', { id: 'limit', type: 'number', min: 1, max: 5000, class: 'small-input', 'aria-label': 'Line limit', title: 'Line limit' });
const directionSelect = el('select', { id: 'direction', 'aria-label': 'Direction' },
  el('option', { value: 'backward' }, 'Newest first'), el('option', { value: 'forward' }, 'Oldest first'));
const tenantInput = el('input', { id: 'tenant', class: 'small-input', placeholder: 'tenant', 'aria-label': 'Tenant (X-Scope-OrgID)', title: 'X-Scope-OrgID, when auth is enabled' });
const runButton = el('button', { id: 'run', type: 'button', class: 'primary', onclick: () => void run() }, 'Run query');
const tailButton = el('button', { id: 'tail', type: 'button', onclick: () => toggleTail() }, 'Live');
const statsLine = el('div', { id: 'stats', class: 'stats' });
const message = el('div', { id: 'message', class: 'message', hidden: true });
const histogram = el('div', { id: 'histogram', class: 'chart', hidden: true });
const chart = el('div', { id: 'chart', class: 'chart', hidden: true });
const linesCount = el('span', { id: 'lines-count' });
const downloadButton = el('button', { id: 'download', type: 'button', disabled: true, onclick: () => downloadNdjson(shown, Date.now()) }, 'Download NDJSON');
const linesBar = el('div', { class: 'lines-bar', hidden: true }, linesCount, downloadButton);
const linesList = el('div', { id: 'lines', class: 'lines' });

let shown: LogLine[] = [];
let tail: LiveTail | null = null;
let runs = 0;

document.querySelector('#app')!.replaceChildren(
  pageHeader('explore'),
  el('main', { class: 'explorer' },
    el('section', { class: 'toolbar' }, box.root,
      el('div', { class: 'controls' }, presetSelect, fromInput, el('span', { class: 'to' }, 'to'), toInput, limitInput, directionSelect, tenantInput, runButton, tailButton)),
    message, statsLine, histogram, chart, linesBar, linesList),
);

presetSelect.addEventListener('change', () => {
  if (presetSelect.value === 'custom') {
    const now = Date.now();
    fromInput.value = formatAbsolute(resolveTime(fromInput.value, now) ?? now - 3_600_000);
    toInput.value = formatAbsolute(resolveTime(toInput.value, now) ?? now);
    return;
  }
  fromInput.value = presetSelect.value;
  toInput.value = 'now';
  void run();
});
for (const input of [fromInput, toInput]) {
  input.addEventListener('change', syncPreset);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') void run();
  });
}

function syncPreset(): void {
  const preset = toInput.value.trim() === 'now' && RELATIVE_PRESETS.find((p) => p.from === fromInput.value.trim());
  presetSelect.value = preset ? preset.from : 'custom';
}

function currentState(): ExplorerState {
  return {
    query: box.value(), from: fromInput.value.trim(), to: toInput.value.trim(),
    limit: Math.max(1, Math.floor(Number(limitInput.value)) || 100),
    direction: directionSelect.value === 'forward' ? 'forward' : 'backward', tenant: tenantInput.value.trim(),
  };
}

function applyState(s: ExplorerState): void {
  box.setValue(s.query);
  fromInput.value = s.from;
  toInput.value = s.to;
  limitInput.value = String(s.limit);
  directionSelect.value = s.direction;
  tenantInput.value = s.tenant;
  syncPreset();
}

function showMessage(text: string | null, kind: 'error' | 'info' = 'error'): void {
  message.hidden = text === null;
  message.className = `message message-${kind}`;
  message.textContent = text ?? '';
}

function showStats(s: QuerySummary, returned: number, kind: 'lines' | 'series'): void {
  const parts = [
    `${formatBytes(s.totalBytesProcessed ?? 0)} processed`,
    `${(s.totalLinesProcessed ?? 0).toLocaleString()} lines scanned`,
    `${(s.execTime ?? 0).toFixed(3)} s`,
    `${returned.toLocaleString()} ${kind} returned`,
  ];
  statsLine.textContent = parts.join(' · ');
}

function onLabel(c: LabelClick): void {
  const q = box.value();
  box.setValue(c.kind === 'stream' ? addSelectorMatcher(q, c.name, c.value, c.op) : addLabelFilter(q, c.name, c.value, c.op));
  void run();
}

function renderLines(lines: LogLine[]): void {
  shown = lines;
  linesBar.hidden = false;
  linesCount.textContent = `${lines.length.toLocaleString()} lines`;
  downloadButton.disabled = lines.length === 0;
  linesList.replaceChildren(...lines.map((l) => lineRow(l, onLabel)));
}

function selectRange(fromMs: number, toMs: number): void {
  fromInput.value = formatAbsolute(fromMs);
  toInput.value = formatAbsolute(toMs);
  syncPreset();
  void run();
}

/** Run the query in the box over the picked range, and show what it gives. */
async function run(push = true): Promise<void> {
  const state = currentState();
  const search = writeState(state);
  if (push && search !== location.search) history.pushState(null, '', `${location.pathname}${search}`);
  if (state.query.trim() === '') return showMessage('Type a LogQL query, such as {job="varlogs"} |= "error".', 'info');
  const now = Date.now();
  const fromMs = resolveTime(state.from, now);
  const toMs = resolveTime(state.to, now);
  if (fromMs === null || toMs === null || fromMs >= toMs) return showMessage('The time range is not valid: give now-1h, now, or absolute times with from before to.');
  const mine = ++runs;
  const stepMs = niceStepMs(toMs - fromMs);
  const range = { fromMs, toMs, stepMs };
  runButton.disabled = true;
  document.body.classList.add('loading');
  const volume = queryRange(`sum by (level, detected_level) (count_over_time(${state.query} [${formatStep(stepMs)}]))`, fromMs, toMs,
    { limit: state.limit, direction: state.direction, step: formatStep(stepMs), tenant: state.tenant }).catch(() => null);
  try {
    const result = await queryRange(state.query, fromMs, toMs, { limit: state.limit, direction: state.direction, step: formatStep(stepMs), tenant: state.tenant });
    if (mine !== runs) return;
    box.showError(null);
    showMessage(null);
    if (result.kind === 'streams') {
      chart.hidden = true;
      renderLines(result.lines);
      showStats(result.summary, result.lines.length, 'lines');
      const v = await volume;
      if (mine !== runs) return;
      histogram.hidden = v === null || v.kind !== 'matrix';
      if (v !== null && v.kind === 'matrix') drawHistogram(histogram, v.series, range, selectRange);
    } else {
      histogram.hidden = true;
      linesBar.hidden = true;
      shown = [];
      linesList.replaceChildren();
      chart.hidden = false;
      drawTimeSeries(chart, result.series, range, selectRange);
      showStats(result.summary, result.series.length, 'series');
    }
  } catch (err) {
    if (mine !== runs) return;
    const text = err instanceof Error ? err.message : String(err);
    histogram.hidden = true;
    chart.hidden = true;
    statsLine.textContent = '';
    if (err instanceof ApiError && /parse error/.test(text)) {
      box.showError(text);
      showMessage(null);
    } else {
      showMessage(err instanceof ApiError ? `Query failed (${err.status}): ${text}` : `Query failed: ${text}`);
    }
  } finally {
    if (mine === runs) {
      runButton.disabled = false;
      document.body.classList.remove('loading');
    }
  }
}

function toggleTail(): void {
  if (tail !== null) {
    tail.stop();
    return;
  }
  const q = box.value().trim();
  if (q === '') return showMessage('Type a log query to tail.', 'info');
  let received = 0;
  tailButton.textContent = 'Stop';
  tailButton.classList.add('live');
  runButton.disabled = true;
  statsLine.textContent = 'Live: connecting…';
  if (linesBar.hidden) renderLines([]);
  tail = startTail(q, Date.now(), currentState().limit, {
    onOpen: () => (statsLine.textContent = 'Live: waiting for lines…'),
    onLines: (lines, dropped) => {
      received += lines.length;
      const newestFirst = [...lines].reverse();
      shown = [...newestFirst, ...shown].slice(0, MAX_TAIL_LINES);
      linesList.prepend(...newestFirst.map((l) => lineRow(l, onLabel)));
      while (linesList.childElementCount > MAX_TAIL_LINES) linesList.lastElementChild?.remove();
      linesCount.textContent = `${shown.length.toLocaleString()} lines`;
      downloadButton.disabled = shown.length === 0;
      statsLine.textContent = `Live: ${received.toLocaleString()} new lines${dropped > 0 ? `, ${dropped} dropped by the server` : ''}`;
    },
    onClose: (reason) => {
      tail = null;
      tailButton.textContent = 'Live';
      tailButton.classList.remove('live');
      runButton.disabled = false;
      statsLine.textContent = `Live tail stopped: ${received.toLocaleString()} lines received`;
      if (reason !== null) showMessage(`Live tail ended: ${reason}`);
    },
  });
}

window.addEventListener('popstate', () => {
  applyState(readState(location.search));
  void run(false);
});

applyState(readState(location.search));
if (box.value().trim() !== '') void run(false);
else showMessage('Type a LogQL query, such as {job="varlogs"} |= "error", and press Enter.', 'info');
