/**
 * The cluster status page at `/status` in a real headless Chromium, against a real `fjord` process
 * on the embedded backends: it shows this process, ready, and a row per partition and zone of the
 * embedded log with the end offsets `/status/api` reports, and its refresh follows a push.
 * A screenshot is written for review.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkipReason, launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { tempDir, waitUntil } from '../helpers/env.js';
import { startFjord, waitReady } from '../helpers/fjord-process.js';

const skip = browserSkipReason();
if (skip !== null) console.log(skip);

interface StatusJson {
  readonly partitions: ReadonlyArray<{ partition: number; end_offset: number; zones: ReadonlyArray<{ zone: string }> }>;
  readonly processes: ReadonlyArray<{ address: string; ready: boolean }>;
}

test('status page: processes and the embedded log\'s partitions, refreshed', { skip: skip ?? false, timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t, 'fjord-browser');
  const f = await startFjord(t, [`-common.path-prefix=${dir}`, '-auth.enabled=false']);
  await waitReady(f);
  const api = async () => (await (await fetch(`${f.url}/status/api`)).json()) as StatusJson;
  const first = (await waitUntil('partitions in /status/api', async () => {
    const s = await api();
    return s.partitions.length > 0 && s.processes.some((p) => p.ready) ? s : null;
  }, 20_000, 200)) as StatusJson;

  const browser = await launchBrowser(t);
  const { page, errors } = await openPage(t, browser);
  await page.goto(`${f.url}/status`);
  await page.waitForSelector('#partitions tbody tr', { timeout: 15_000 });
  const rows = first.partitions.reduce((n, p) => n + Math.max(1, p.zones.length), 0);
  assert.equal(await page.locator('#partitions tbody tr').count(), rows);
  const firstRow = await page.$$eval('#partitions tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
  assert.equal(firstRow[0], String(first.partitions[0]?.partition));
  assert.equal(firstRow[3], first.partitions[0]?.zones[0]?.zone ?? '—');
  const processes = await page.$$eval('#processes tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
  assert.ok(processes.some((p) => p.includes('ready') && p.includes('all')), processes.join(' | '));

  // A push moves a partition's end offset; the page shows it on its next refresh.
  const res = await fetch(`${f.url}/loki/api/v1/push`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ streams: [{ stream: { job: 'status' }, values: [[`${Date.now()}000000`, 'level=info msg=moved']] }] }),
  });
  assert.equal(res.status, 204);
  const moved = (await waitUntil('an end offset to move in /status/api', async () => {
    const s = await api();
    return s.partitions.find((p, i) => p.end_offset > (first.partitions[i]?.end_offset ?? 0)) ?? null;
  }, 10_000, 100)) as StatusJson['partitions'][number];
  await waitUntil('the page to show the new end offset', async () => {
    const ends = await page.$$eval('#partitions tbody tr', (trs) => trs.map((tr) => [tr.children[0]?.textContent, tr.children[2]?.textContent]));
    return ends.some(([p, end]) => p === String(moved.partition) && Number((end ?? '').replace(/\D/g, '')) >= moved.end_offset);
  }, 15_000, 200);
  await screenshot(page, 'status');
  assert.deepEqual(errors, []);
});
