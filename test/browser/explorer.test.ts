/**
 * The log explorer at `/` in a real headless Chromium, against a real `fjord` process on the
 * embedded backends (as `npm start` runs it): a query shows its lines and the volume histogram,
 * a line expands to its fields, a label click narrows the selector, a live tail shows lines pushed
 * while it runs and stops, a metric query draws a chart, a parse error points at its column, the
 * state survives a reload from the URL, and the shown lines download as NDJSON. With
 * `ui.enabled: false` nothing is served at `/`. Screenshots are written for review.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { tempDir, waitUntil } from '../helpers/env.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';

const skip = browserSkipReason();
if (skip !== null) console.log(skip);

interface Line {
  readonly app: string;
  readonly level: string;
  readonly line: string;
  readonly tsMs: number;
  readonly metadata?: Record<string, string>;
}

async function push(f: FjordChild, lines: readonly Line[]): Promise<void> {
  const streams = lines.map((l) => ({
    stream: { job: 'shop', app: l.app },
    values: [[`${l.tsMs}000000`, l.line, ...(l.metadata ? [l.metadata] : [])]],
  }));
  const res = await fetch(`${f.url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ streams }) });
  assert.equal(res.status, 204, await res.text());
}

async function startExplorerFjord(t: TestContext, args: readonly string[] = []): Promise<FjordChild> {
  const dir = await tempDir(t, 'fjord-browser');
  const f = await startFjord(t, [`-common.path-prefix=${dir}`, '-auth.enabled=false', ...args]);
  await waitReady(f);
  return f;
}

/** Fill the query box and run it with Enter. */
async function runQuery(page: Page, query: string): Promise<void> {
  await page.fill('#query', query);
  await page.press('#query', 'Enter');
}

async function rowTexts(page: Page): Promise<string[]> {
  return page.$$eval('#lines .log-line', (els) => els.map((e) => e.textContent ?? ''));
}

test('explorer: query, histogram, expand, label click, tail, metric chart, parse error, URL state, download', { skip: skip ?? false, timeout: 120_000 }, async (t) => {
  const f = await startExplorerFjord(t);
  const now = Date.now();
  const corpus: Line[] = [];
  for (let i = 0; i < 24; i++) {
    const app = i % 3 === 0 ? 'web' : 'api';
    const level = i % 4 === 0 ? 'error' : 'info';
    const line = app === 'web'
      ? JSON.stringify({ level, msg: `page view ${i}`, path: `/p/${i}`, user: `u${i % 5}` })
      : `level=${level} msg="handled request ${i}" status=${level === 'error' ? 500 : 200} duration=${i}ms`;
    corpus.push({ app, level, line, tsMs: now - (24 - i) * 20_000, metadata: { trace_id: `trace-${i}` } });
  }
  await push(f, corpus);

  const browser = await launchBrowser(t);
  const { page, errors } = await openPage(t, browser);
  await page.goto(`${f.url}/`);
  await runQuery(page, '{job="shop"}');

  await t.test('a query shows its lines, newest first, with labels and structured metadata', async () => {
    await waitUntil('24 lines on the page', async () => (await rowTexts(page)).length === 24, 15_000);
    const texts = await rowTexts(page);
    assert.deepEqual(texts, [...corpus].reverse().map((l) => l.line));
    const chips = await page.$$eval('#lines .log-row:first-child .chip', (els) => els.map((e) => e.textContent));
    assert.ok(chips.includes('app=api') && chips.includes('job=shop'), `stream label chips: ${chips.join(' ')}`);
    assert.ok(chips.includes('trace_id=trace-23'), `structured metadata chips: ${chips.join(' ')}`);
    assert.match(await page.textContent('#stats') ?? '', /processed · 24 lines scanned · [\d.]+ s · 24 lines returned/);
    assert.match(page.url(), /[?&]query=%7Bjob%3D%22shop%22%7D/);
  });

  await t.test('the volume histogram is drawn, by level', async () => {
    await page.waitForSelector('#histogram:not([hidden]) canvas', { timeout: 10_000 });
    const legend = await page.$$eval('#histogram .u-legend .u-series .u-label', (els) => els.map((e) => e.textContent));
    assert.deepEqual(legend.filter((l) => l !== '' && l !== 'Time').sort(), ['error', 'info']);
    await screenshot(page, 'explorer');
  });

  await t.test('a line expands to its parsed fields', async () => {
    const webRow = page.locator('#lines .log-row', { hasText: 'page view 21' });
    await webRow.click();
    const details = webRow.locator('.line-details');
    await details.waitFor();
    const text = await details.textContent();
    assert.match(text ?? '', /path\/p\/21/);
    assert.match(text ?? '', /useru1/);
    assert.match(text ?? '', /trace_idtrace-21/);
    await screenshot(page, 'explorer-expanded');
  });

  await t.test('clicking a stream label adds it to the selector and runs the query', async () => {
    await page.locator('#lines .log-row', { hasText: 'page view 21' }).locator('.chip', { hasText: 'app=web' }).click();
    await waitUntil('the query to have app="web"', async () => (await page.inputValue('#query')) === '{job="shop", app="web"}');
    const want = corpus.filter((l) => l.app === 'web').reverse().map((l) => l.line);
    await waitUntil('only web lines', async () => JSON.stringify(await rowTexts(page)) === JSON.stringify(want), 10_000);
  });

  await t.test('a live tail shows lines pushed while it runs, and stops', async () => {
    await runQuery(page, '{job="shop", app="tail"}');
    await waitUntil('the empty result', async () => (await page.textContent('#lines-count')) === '0 lines', 10_000);
    await page.click('#tail');
    await waitUntil('the tail to connect', async () => (await page.textContent('#stats'))?.startsWith('Live: waiting') ?? false, 10_000);
    assert.equal(await page.textContent('#tail'), 'Stop');
    let n = 0;
    await waitUntil('tailed lines on the page', async () => {
      await push(f, [{ app: 'tail', level: 'info', line: `level=info msg="tailed ${n++}"`, tsMs: Date.now() }]);
      return (await rowTexts(page)).length >= 3;
    }, 20_000, 300);
    const texts = await rowTexts(page);
    assert.match(texts[0] ?? '', /tailed \d+/);
    assert.ok(texts.every((l, i) => i === 0 || Number(/tailed (\d+)/.exec(l)?.[1]) < Number(/tailed (\d+)/.exec(texts[i - 1] as string)?.[1])), `newest first: ${texts.join(' | ')}`);
    await screenshot(page, 'explorer-tail');
    await page.click('#tail');
    await waitUntil('the tail to stop', async () => (await page.textContent('#stats'))?.startsWith('Live tail stopped') ?? false, 10_000);
    assert.equal(await page.textContent('#tail'), 'Live');
    assert.equal(await page.isEnabled('#run'), true);
  });

  await t.test('a metric query draws a time series chart', async () => {
    await runQuery(page, 'sum by (app) (count_over_time({job="shop", app=~"api|web"}[1m]))');
    await page.waitForSelector('#chart:not([hidden]) canvas', { timeout: 10_000 });
    const legend = await page.$$eval('#chart .u-legend .u-series .u-label', (els) => els.map((e) => e.textContent));
    assert.deepEqual(legend.filter((l) => l?.startsWith('{')).sort(), ['{app="api"}', '{app="web"}']);
    assert.equal(await page.isHidden('#histogram'), true);
    assert.equal(await page.locator('#lines .log-row').count(), 0);
    assert.equal(await page.isHidden('#download'), true);
    assert.match(await page.textContent('#stats') ?? '', /2 series returned/);
    await screenshot(page, 'explorer-metric');
  });

  await t.test('a parse error is shown under the column it names', async () => {
    await page.fill('#query', '{job="shop"} |= ');
    await page.waitForSelector('#query-error:not([hidden]) .qb-error-caret', { timeout: 10_000 });
    assert.equal(await page.textContent('#query-error .qb-error-caret'), `${' '.repeat(16)}^`);
    assert.match(await page.textContent('#query-error .qb-error-message') ?? '', /^parse error at line 1, col 17: syntax error: unexpected \$end/);
    await page.fill('#query', '{job="shop"} |= "request"');
    await page.waitForSelector('#query-error', { state: 'hidden', timeout: 10_000 });
    const kinds = await page.$$eval('.qb-highlight span', (els) => els.map((e) => `${e.className}:${e.textContent}`));
    assert.ok(kinds.includes('tk-label:job') && kinds.includes('tk-string:"shop"') && kinds.includes('tk-operator:|='), kinds.join(' '));
  });

  await t.test('the state is in the URL: a reload shows the same view', async () => {
    await page.selectOption('#range-preset', 'now-15m');
    await runQuery(page, '{job="shop"} |= "error"');
    await waitUntil('the URL to carry the range', async () => /from=now-15m/.test(page.url()));
    const url = page.url();
    const { page: again } = await openPage(t, browser);
    await again.goto(url);
    const want = corpus.filter((l) => l.line.includes('error')).reverse().map((l) => l.line);
    await waitUntil('the same lines after a reload', async () => JSON.stringify(await rowTexts(again)) === JSON.stringify(want), 10_000);
    assert.equal(await again.inputValue('#query'), '{job="shop"} |= "error"');
    assert.equal(await again.inputValue('#range-from'), 'now-15m');
  });

  await t.test('the shown lines download as NDJSON', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const text = await readFile(await download.path(), 'utf8');
    const rows = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { timestamp: string; line: string; labels: Record<string, string>; structuredMetadata: Record<string, string> });
    const want = corpus.filter((l) => l.line.includes('error')).reverse();
    assert.deepEqual(rows.map((r) => r.line), want.map((l) => l.line));
    assert.deepEqual(rows.map((r) => r.timestamp), want.map((l) => `${l.tsMs}000000`));
    assert.equal(rows[0]?.labels.app, want[0]?.app);
    assert.equal(rows[0]?.structuredMetadata.trace_id, want[0]?.metadata?.trace_id);
  });

  assert.deepEqual(errors, []);
});

test('explorer: ui.enabled=false serves nothing at / and /status', async (t) => {
  const f = await startExplorerFjord(t, ['-ui.enabled=false']);
  for (const path of ['/', '/status', '/ui/index.html']) {
    const res = await fetch(`${f.url}${path}`);
    assert.equal(res.status, 404, path);
  }
  const res = await fetch(`${f.url}/loki/api/v1/labels`);
  assert.equal(res.status, 200);
});
