/**
 * Pure modules stay pure: no await, no clock, env, randomness or disk, and no imports of I/O
 * libraries (STYLE.md §1). The list names every pure module or folder.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Pure source folders (every .ts below) and files. */
const PURE = [
  'schemas',
  'pipeline/push/otlp-attributes.ts',
  'pipeline/push/otlp-json.ts',
  'pipeline/push/otlp-model.ts',
  'pipeline/push/otlp-protobuf.ts',
  'pipeline/push/otlp-to-push.ts',
  'pipeline/push/json-tree.ts',
  'query/logql',
  'ui/explorer/logql-tokens.ts',
  'ui/explorer/selector-edit.ts',
  'ui/explorer/time-range.ts',
  'ui/explorer/url-state.ts',
  'ui/explorer/line-fields.ts',
  'platform/log/embedded/record-frame.ts',
  'platform/runtime/targets.ts',
  'platform/store/object-key.ts',
  'platform/codecs/zstd-frame.ts',
  'query/api/params.ts',
  'query/api/query-limits.ts',
  'query/api/responses.ts',
  'query/api/stats-json.ts',
  'query/api/detected.ts',
  'query/api/volume.ts',
  'query/api/websocket-frames.ts',
  'query/frontend/split.ts',
  'query/frontend/merge.ts',
  'query/frontend/wire.ts',
  'query/frontend/query-shape.ts',
  'query/frontend/shard-plan.ts',
  'query/frontend/shard-merge.ts',
  'pipeline/validation/validate.ts',
  'pipeline/validation/level-detection.ts',
  'pipeline/validation/rate-limiter.ts',
  'pipeline/distributor/partitioner.ts',
  'pipeline/distributor/stream-limits.ts',
  'consumers/ingester/catch-up.ts',
  'consumers/ingester/cut-policy.ts',
  'consumers/ingester/stream-chunk.ts',
  'consumers/ingester/durable-offset.ts',
  'consumers/ingester/stream-hold.ts',
  'consumers/ingester/partition-ingest.ts',
  'consumers/ingester/recent-data.ts',
  'consumers/ingester/live-tails.ts',
  'query/engine',
  'query/querier/lru-cache.ts',
  'consumers/compactor/compaction-plan.ts',
  'consumers/compactor/merge-bundles.ts',
  'consumers/compactor/retention.ts',
  'consumers/compactor/stream-retention.ts',
  'consumers/compactor/delete-api.ts',
  'consumers/compactor/delete-plan.ts',
  'consumers/migrate/migrate-check.ts',
  'consumers/index-rebuild/rebuild-args.ts',
  'consumers/index-rebuild/rebuild-bundles.ts',
  'consumers/replay/offsets-args.ts',
  'consumers/replay/progress.ts',
  'consumers/replay/replay-args.ts',
  'platform/runtime/command-args.ts',
  'platform/runtime/progress-format.ts',
  'query/ruler/rule-group.ts',
  'query/ruler/rule-yaml-decode.ts',
  'query/ruler/rule-yaml-encode.ts',
  'query/ruler/rule-validate.ts',
  'query/ruler/rule-file.ts',
  'query/ruler/rule-group-proto.ts',
  'query/ruler/alert-template.ts',
  'query/ruler/alerting-rule.ts',
  'query/ruler/recording-rule.ts',
  'query/ruler/rule-sample.ts',
  'query/ruler/group-schedule.ts',
  'query/ruler/remote-write/prompb.ts',
  'query/ruler/remote-write/wal-record.ts',
  'query/ruler/notifier/postable-alert.ts',
  'query/ruler/api/prometheus-json.ts',
];

const FORBIDDEN_IMPORT = /from\s+'(node:(fs|fs\/promises|net|http|https|child_process|dgram)|fs|net|http|kafkajs|@aws-sdk\/[^']+|classic-level|fastify|prom-client|pino)'/;
const FORBIDDEN_CODE: Array<[RegExp, string]> = [
  [/\bawait\b/, 'await'],
  [/\bDate\.now\(|new Date\(\)/, 'reads the clock'],
  [/\bprocess\.(env|hrtime|argv)/, 'reads the process environment'],
  [/\bMath\.random\(/, 'randomness'],
  [/\bperformance\.now\(/, 'reads the clock'],
];

function sourcesUnder(path: string): string[] {
  const st = statSync(join(root, path), { throwIfNoEntry: false });
  if (!st) return [];
  if (st.isFile()) return [path];
  return readdirSync(join(root, path)).flatMap((name) => sourcesUnder(join(path, name))).filter((p) => p.endsWith('.ts'));
}

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const files = PURE.flatMap(sourcesUnder);

test('purity: every path of the pure module list exists', () => {
  const missing = PURE.filter((p) => statSync(join(root, p), { throwIfNoEntry: false }) === undefined);
  assert.deepEqual(missing, []);
});

for (const file of files) {
  test(`purity: ${file}`, () => {
    const src = stripComments(readFileSync(join(root, file), 'utf8'));
    const bad = FORBIDDEN_IMPORT.exec(src);
    assert.equal(bad, null, `${file} imports ${bad?.[1]}`);
    for (const [re, what] of FORBIDDEN_CODE) assert.ok(!re.test(src), `${file}: ${what}`);
  });
}
