/**
 * The embedded log under kill -9: every record whose produce returned is there after a restart,
 * at its offset and in order; nothing that was never produced appears; a torn tail is cut.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EmbeddedLog, type LogRecord } from '../../platform/log/index.js';
import { silentLogger } from '../../platform/logger.js';
import { tempDir } from '../helpers/env.js';

const writer = fileURLToPath(new URL('../helpers/embedded-writer.js', import.meta.url));

function openLog(dir: string, segmentSize: number): EmbeddedLog {
  return new EmbeddedLog(
    { directory: dir, topic: 'crash', autoCreatePartitions: null, fsync: 'interval', fsyncIntervalMs: 1000,
      segmentSizeBytes: segmentSize, retentionMs: 0, maxRecordBytes: 1_000_000 },
    silentLogger(),
  );
}

async function readAll(log: EmbeddedLog, partition: number): Promise<LogRecord[]> {
  const { end } = (await log.offsets())[partition] as { end: number };
  const out: LogRecord[] = [];
  if (end === 0) return out;
  const ac = new AbortController();
  for await (const batch of log.read(partition, 0, ac.signal)) {
    out.push(...batch);
    if (out.length >= end) break;
  }
  ac.abort();
  return out;
}

/** Run the writer, SIGKILL it after `acks` acknowledgements, and return what it acknowledged. */
async function burstAndKill(dir: string, segmentSize: number, acks: number): Promise<Map<string, string>> {
  const child = spawn(process.execPath, [writer, dir, String(segmentSize)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked = new Map<string, string>();
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve());
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ack (\d+) (\d+) (.*)$/.exec(line);
        if (m) acked.set(`${m[1]}:${m[2]}`, m[3] as string);
      }
      if (acked.size >= acks && child.exitCode === null) child.kill('SIGKILL');
    });
  });
  assert.equal(child.signalCode, 'SIGKILL');
  return acked;
}

function checkRecovered(records: LogRecord[][], acked: Map<string, string>): number {
  let total = 0;
  records.forEach((list, partition) => {
    const lastSeq = new Map<string, number>();
    list.forEach((r, i) => {
      assert.equal(r.offset, i, `partition ${partition}: offsets are contiguous`);
      const value = r.value.toString();
      const m = /^w(\d+)-s(\d+)-(\d)-x*$/.exec(value);
      assert.ok(m, `partition ${partition} offset ${r.offset}: ${value.slice(0, 40)} is not a record the writer produced`);
      const producer = m[1] as string;
      const order = Number(m[2]) * 3 + Number(m[3]);
      assert.ok(order > (lastSeq.get(producer) ?? -1), `partition ${partition}: producer ${producer} out of order`);
      lastSeq.set(producer, order);
    });
    total += list.length;
  });
  for (const [key, value] of acked) {
    const [p, o] = key.split(':').map(Number) as [number, number];
    assert.equal(records[p]?.[o]?.value.toString(), value, `acknowledged record ${key} is missing or different`);
  }
  return total;
}

for (const segmentSize of [64 * 1024 * 1024, 64 * 1024]) {
  test(`embedded log: kill -9 during a write burst loses no acknowledged record (segment size ${segmentSize})`, async (t) => {
    const dir = await tempDir(t);
    const acked = await burstAndKill(dir, segmentSize, 20_000);
    const log = openLog(dir, segmentSize);
    await log.start();
    t.after(() => log.stop());
    const records = [await readAll(log, 0), await readAll(log, 1)];
    const total = checkRecovered(records, acked);
    assert.ok(total >= acked.size, `${total} records recovered, ${acked.size} acknowledged`);
    const next = await log.produce(0, [{ value: Buffer.from('w99-s0-0-') }]);
    assert.equal(next[0], records[0]?.length, 'appends continue at the recovered end');
  });
}

test('embedded log: a torn tail is cut on open and appends continue after the last whole record', async (t) => {
  const dir = await tempDir(t);
  const log = new EmbeddedLog({ directory: dir, topic: 'crash', autoCreatePartitions: 1, fsync: 'always', fsyncIntervalMs: 1000, segmentSizeBytes: 1 << 26, retentionMs: 0, maxRecordBytes: 1_000_000 }, silentLogger());
  await log.start();
  await log.produce(0, ['a', 'b', 'c'].map((v) => ({ value: Buffer.from(v) })));
  await log.stop();
  const partDir = join(dir, 'crash', '0');
  const segment = (await readdir(partDir)).find((f) => f.endsWith('.log')) as string;
  await appendFile(join(partDir, segment), Buffer.from([0, 0, 0, 40, 1, 2, 3, 4, 5]));
  const reopened = openLog(dir, 64 * 1024 * 1024);
  await reopened.start();
  t.after(() => reopened.stop());
  assert.deepEqual(await reopened.produce(0, [{ value: Buffer.from('d') }]), [3]);
  assert.deepEqual((await readAll(reopened, 0)).map((r) => r.value.toString()), ['a', 'b', 'c', 'd']);
});
