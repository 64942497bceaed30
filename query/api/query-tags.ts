/**
 * Loki's `X-Query-Tags` header (`L:pkg/util/httpreq/tags.go`): comma-separated `key=value` pairs,
 * characters outside `[a-zA-Z0-9-=.@, ]` replaced by `_`, keys compared in lower case. Logs
 * Drilldown sends `Source=grafana-lokiexplore-app`. Pure.
 */

/** Loki's constants.LogsDrilldownAppName. */
const LOGS_DRILLDOWN_APP = 'grafana-lokiexplore-app';

/** The key/value pairs of an `X-Query-Tags` value, as Loki's TagsToKeyValues reads them. */
export function queryTagPairs(header: string | undefined): Array<[key: string, value: string]> {
  if (header === undefined) return [];
  const safe = header.replace(/[^a-zA-Z0-9\-=.@, ]+/g, '_');
  const out: Array<[string, string]> = [];
  for (const tok of safe.split(',').filter((t) => t !== '')) {
    const kv = tok.split('=').filter((p) => p !== '');
    if (kv.length === 2) out.push([(kv[0] as string).toLowerCase(), kv[1] as string]);
  }
  return out;
}

/** Loki's httpreq.IsLogsDrilldownRequest: a `source` tag naming Logs Drilldown (any case). */
export function isLogsDrilldownRequest(header: string | undefined): boolean {
  return queryTagPairs(header).some(([k, v]) => k === 'source' && v.toLowerCase() === LOGS_DRILLDOWN_APP);
}
