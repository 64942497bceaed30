import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLogsDrilldownRequest } from '../../../../query/api/query-tags.js';

// Loki pkg/util/httpreq/tags_test.go TestIsLogsDrilldownRequest.
const cases = [
  { name: 'no header', header: undefined, want: false },
  { name: 'Drilldown source', header: 'Source=grafana-lokiexplore-app', want: true },
  { name: 'key and value in any case', header: 'source=Grafana-LokiExplore-App', want: true },
  { name: 'among other tags', header: 'Feature=patterns,Source=grafana-lokiexplore-app', want: true },
  { name: 'another source', header: 'Source=grafana', want: false },
  { name: 'not a pair', header: 'Source', want: false },
];
for (const c of cases) test(`isLogsDrilldownRequest: ${c.name}`, () => assert.equal(isLogsDrilldownRequest(c.header), c.want));
