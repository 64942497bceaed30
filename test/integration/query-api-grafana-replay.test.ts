/**
 * Replays the requests Grafana's Loki data source sends (test/fixtures/grafana/requests.json,
 * each naming the Grafana file it comes from) against the query API behind the query frontend,
 * and checks every answer against Loki's response shapes (`L:pkg/util/marshal/*`,
 * `L:pkg/logqlmodel/stats/stats.proto`, `L:pkg/querier/queryrange/volume.go`).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { labelsFromObject } from '../../schemas/labels/index.js';
import { FakeQueryBackend } from '../helpers/fake-query-backend.js';
import { startQueryApi, type QueryApi } from '../helpers/query-api.js';
import { NOW, sampleStreams } from '../helpers/sample-streams.js';
import { connectWebSocket } from '../helpers/ws-client.js';
import { grafanaRequests, recordedParams, responseShapes } from '../helpers/loki-shapes.js';

type Obj = Record<string, unknown>;

let api: QueryApi;
before(async () => {
  const backend = new FakeQueryBackend(sampleStreams());
  backend.tailFrames = [{ streams: [{ labels: labelsFromObject({ app: 'api' }), entries: [{ tsNs: NOW, line: 'live', structuredMetadata: [], parsed: [] }] }], dropped: [] }];
  api = await startQueryApi({ backend, viaFrontend: true, nowNs: NOW, listen: true });
});
after(() => api.close());

test('the fixture lists the requests of every Grafana feature', () => {
  const paths = new Set(grafanaRequests.map((r) => r.path.replace(/\/label\/[^/]+\/values/, '/label/:name/values').replace(/detected_field\/[^/]+/, 'detected_field/:name')));
  for (const p of ['/loki/api/v1/query', '/loki/api/v1/query_range', '/loki/api/v1/labels', '/loki/api/v1/label/:name/values', '/loki/api/v1/series', '/loki/api/v1/index/stats', '/loki/api/v1/detected_labels', '/loki/api/v1/detected_fields', '/loki/api/v1/detected_field/:name/values', '/loki/api/v1/tail']) {
    assert.ok(paths.has(p), p);
  }
});

for (const r of grafanaRequests) {
  test(`Grafana: ${r.name} (${r.path})`, async () => {
    const params = recordedParams(r, NOW);
    if (r.expect === 'tail') {
      const port = (api.server.app.server.address() as AddressInfo).port;
      const ws = await connectWebSocket(`http://127.0.0.1:${port}${r.path}?${params}`, r.headers ?? {});
      const text = await ws.nextText();
      assert.equal(typeof text, 'string');
      const frame = JSON.parse(text as string) as Obj;
      assert.ok(Array.isArray(frame.streams));
      ws.close();
      return;
    }
    const res = await api.server.app.inject({ method: 'GET', url: `${r.path}?${params}`, headers: r.headers ?? {} });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const check = responseShapes[r.expect];
    assert.ok(check, `no shape check for ${r.expect}`);
    check(JSON.parse(res.body), r.headers ?? {});
  });
}
