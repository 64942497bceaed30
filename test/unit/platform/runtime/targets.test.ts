import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modulesFor } from '../../../../platform/runtime/targets.js';

const cases = [
  { name: 'distributor', target: 'distributor', want: ['server', 'runtime-config', 'partition-log', 'distributor'] },
  { name: 'ingester', target: 'ingester', want: ['server', 'runtime-config', 'partition-log', 'object-store', 'ingester'] },
  { name: 'query-frontend (the store holds the delete requests its results cache keys follow; the log, the ingesters read-your-writes waits on)', target: 'query-frontend', want: ['server', 'runtime-config', 'partition-log', 'object-store', 'query-frontend'] },
  { name: 'write group', target: 'write', want: ['server', 'runtime-config', 'partition-log', 'distributor', 'object-store', 'ingester'] },
  { name: 'all has every module once', target: 'all', want: ['server', 'runtime-config', 'partition-log', 'distributor', 'object-store', 'ingester', 'querier', 'query-frontend', 'compactor', 'ruler'] },
  { name: 'ruler', target: 'ruler', want: ['server', 'runtime-config', 'partition-log', 'object-store', 'ruler'] },
  { name: 'backend group', target: 'backend', want: ['server', 'runtime-config', 'object-store', 'compactor', 'partition-log', 'ruler'] },
] as const;
for (const c of cases) test(`modulesFor: ${c.name}`, () => assert.deepEqual(modulesFor(c.target), c.want));
