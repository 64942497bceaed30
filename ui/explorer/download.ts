/** The shown lines as NDJSON (one JSON object per line), offered as a file download. */
import type { LogLine } from '../shared/loki-client.js';

/** NDJSON text of `lines`: timestamp (ns string), line, labels, structuredMetadata, parsed. */
export function toNdjson(lines: readonly LogLine[]): string {
  return lines.map((l) => JSON.stringify({ timestamp: l.tsNs, line: l.line, labels: l.labels, structuredMetadata: l.structuredMetadata, parsed: l.parsed })).join('\n') + (lines.length > 0 ? '\n' : '');
}

/** Save `lines` as `fjord-logs-<time>.ndjson` through the browser's download. */
export function downloadNdjson(lines: readonly LogLine[], nowMs: number): void {
  const url = URL.createObjectURL(new Blob([toNdjson(lines)], { type: 'application/x-ndjson' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `fjord-logs-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}.ndjson`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
