/** What `fjord replay` prints: a progress line while it runs and a summary at the end. Pure. */
import { etaMs, formatElapsed, formatRate } from '../../platform/index.js';
import type { PartitionReplayState } from './replay.js';

function partText(s: PartitionReplayState, nowMs: number): string {
  const total = s.toOffset - s.fromOffset;
  if (s.startedMs === null) return `p${s.partition} waiting (${total} records)`;
  const done = Math.min(total, s.nextOffset - s.fromOffset);
  const elapsed = (s.finishedMs ?? nowMs) - s.startedMs;
  const pct = total === 0 ? 100 : Math.floor((done * 100) / total);
  const head = `p${s.partition} offset ${s.nextOffset}/${s.toOffset} ${done}/${total} records (${pct}%)`;
  if (s.finishedMs !== null) return `${head} done in ${formatElapsed(elapsed)}`;
  const eta = etaMs(done, total, elapsed);
  return `${head} ${formatRate(done, elapsed)}${eta === null ? '' : ` ETA ${formatElapsed(eta)}`}`;
}

/** The progress line: the partition being replayed, and the totals. */
export function replayProgressText(states: readonly PartitionReplayState[], nowMs: number, startedMs: number): string {
  const current = states.find((s) => s.startedMs !== null && s.finishedMs === null) ?? states.find((s) => s.finishedMs === null) ?? states[states.length - 1];
  const records = states.reduce((n, s) => n + s.records, 0);
  const chunks = states.reduce((n, s) => n + s.chunks, 0);
  const left = states.filter((s) => s.finishedMs === null).length;
  const head = current ? partText(current, nowMs) : 'nothing to replay';
  return `replay: ${head} | ${records} records, ${chunks} chunks, ${left} of ${states.length} partitions left, ${formatElapsed(nowMs - startedMs)}`;
}

/** The summary: one line per partition and the totals. */
export function replaySummaryLines(states: readonly PartitionReplayState[], bundles: number, elapsedMs: number, interrupted: boolean): string[] {
  const lines = states.map((s) =>
    `partition ${s.partition}: offsets ${s.fromOffset}..${s.toOffset} (exclusive), ${s.records} records read, ${s.entries} entries, ${s.malformed} malformed, ${s.chunks} chunks` +
    (s.finishedMs === null ? ' (not finished)' : ''),
  );
  const records = states.reduce((n, s) => n + s.records, 0);
  const chunks = states.reduce((n, s) => n + s.chunks, 0);
  lines.push(`${interrupted ? 'replay interrupted' : 'replay done'}: ${records} records, ${chunks} chunks written, ${bundles} index bundles uploaded in ${formatElapsed(elapsedMs)} (${formatRate(records, elapsedMs)})`);
  return lines;
}
