/**
 * `ruler:` — LogQL alerting and recording rules (Loki's keys, flags and defaults,
 * `L:pkg/ruler/base/ruler.go`, `L:pkg/ruler/config.go`, `L:pkg/ruler/storage/instance/instance.go`).
 */
import type { SectionSpec } from './field.js';
import { s3SectionSpec } from './common.js';

/** Where rule groups are kept (`ruler.storage.type`): the process's object store, a read-only directory, or S3. */
export const RULE_STORE_TYPES = ['', 'local', 's3'] as const;

/** Backends of the top-level `ruler_storage` block (Loki's objstore-based rule store); empty leaves `ruler.storage` in charge. */
export const RULER_STORAGE_BACKENDS = ['', 'local', 'filesystem', 's3'] as const;

/** `ruler_storage:` — Loki's newer rule store block (`L:pkg/ruler/rulestore/config.go`, `pkg/storage/bucket`). */
export const rulerStorageSection = {
  fields: [
    { key: 'backend', flag: 'ruler-storage.backend', kind: 'enum', values: RULER_STORAGE_BACKENDS, default: '',
      help: 'Rule store backend: `filesystem` or `s3` (writable, Loki\'s bucket layout), `local` (a read-only directory); empty uses ruler.storage.' },
    { key: 'storage_prefix', flag: 'ruler-storage.storage-prefix', kind: 'string', default: '',
      help: 'Prefix of every rule object key in the bucket (digits, letters and dashes).' },
  ],
  sections: {
    local: {
      fields: [
        { key: 'directory', flag: 'ruler-storage.local.directory', kind: 'string', default: '',
          help: 'Directory of rule files for the `local` backend, one subdirectory per tenant.' },
      ],
    },
    filesystem: {
      fields: [
        { key: 'dir', flag: 'ruler-storage.filesystem.dir', kind: 'string', default: '',
          help: 'Directory of the `filesystem` backend\'s objects.' },
      ],
    },
    s3: {
      fields: [
        { key: 'endpoint', flag: 'ruler-storage.s3.endpoint', kind: 'string', default: '',
          help: 'S3 endpoint (host:port, or a URL); empty uses AWS.' },
        { key: 'region', flag: 'ruler-storage.s3.region', kind: 'string', default: '', help: 'Region of the S3 bucket.' },
        { key: 'bucket_name', flag: 'ruler-storage.s3.bucket-name', kind: 'string', default: '', help: 'S3 bucket name.' },
        { key: 'access_key_id', flag: 'ruler-storage.s3.access-key-id', kind: 'string', default: '', help: 'S3 access key ID.' },
        { key: 'secret_access_key', flag: 'ruler-storage.s3.secret-access-key', kind: 'string', default: '', secret: true,
          help: 'S3 secret access key.' },
        { key: 'insecure', flag: 'ruler-storage.s3.insecure', kind: 'bool', default: false, help: 'Use http:// for the endpoint.' },
        { key: 'bucket_lookup_type', flag: 'ruler-storage.s3.bucket-lookup-type', kind: 'enum', values: ['auto', 'virtual-hosted', 'path'], default: 'auto',
          help: 'Bucket addressing: `path`, `virtual-hosted`, or `auto` (path style for a non-AWS endpoint).' },
        { key: 'max_retries', flag: 'ruler-storage.s3.max-retries', kind: 'int', default: 10, min: 1,
          help: 'Attempts per S3 request, for errors where a retry is safe.' },
      ],
    },
  },
} as const satisfies SectionSpec;

/** One `ruler.remote_write.clients.<id>` entry: a Prometheus `remote_write` config. */
const remoteWriteClientSection = {
  fields: [
    { key: 'url', flag: '', kind: 'string', default: '', help: 'URL of the remote-write endpoint (Prometheus: /api/v1/write).' },
    { key: 'name', flag: '', kind: 'string', default: '', help: 'Name of the client in logs; Fjord uses <tenant>-rw-<id>, as Loki.' },
    { key: 'remote_timeout', flag: '', kind: 'duration', default: '30s', min: 1, help: 'Timeout of one remote-write request.' },
  ],
  sections: {
    basic_auth: {
      fields: [
        { key: 'username', flag: '', kind: 'string', default: '', help: 'Basic auth user name.' },
        { key: 'password', flag: '', kind: 'string', default: '', secret: true, help: 'Basic auth password.' },
      ],
    },
    queue_config: {
      fields: [
        { key: 'max_samples_per_send', flag: '', kind: 'int', default: 2000, min: 1, help: 'Most samples in one request.' },
        { key: 'min_backoff', flag: '', kind: 'duration', default: '30ms', min: 1, help: 'First retry delay; doubled each try.' },
        { key: 'max_backoff', flag: '', kind: 'duration', default: '5s', min: 1, help: 'Longest retry delay.' },
        { key: 'retry_on_http_429', flag: '', kind: 'bool', default: false, help: 'Retry a batch answered 429 rather than drop it.' },
      ],
    },
  },
  maps: {
    headers: { kind: 'strings', secret: true, help: 'Headers sent with every request (X-Scope-OrgID is set by Fjord).' },
  },
} as const satisfies SectionSpec;

export const rulerSection = {
  fields: [
    { key: 'external_url', flag: 'ruler.external.url', kind: 'string', default: '',
      help: 'Base URL of the Grafana instance; prefix of every alert\'s generatorURL.' },
    { key: 'datasource_uid', flag: 'ruler.datasource-uid', kind: 'string', default: '',
      help: 'Grafana data source UID put in every alert\'s generatorURL.' },
    { key: 'evaluation_interval', flag: 'ruler.evaluation-interval', kind: 'duration', default: '1m', min: 1000,
      help: 'How often rule groups are evaluated; a group\'s own `interval` overrides it.' },
    { key: 'poll_interval', flag: 'ruler.poll-interval', kind: 'duration', default: '1m', min: 100,
      help: 'How often the rule store is read again for changed rule groups.' },
    { key: 'rule_path', flag: 'ruler.rule-path', kind: 'string', default: '',
      help: 'Path naming rule groups in the rule_group label of the rule metrics, as Loki\'s scratch directory; empty means <path_prefix>/rules-temp. Fjord writes no files there.' },
    { key: 'alertmanager_url', flag: 'ruler.alertmanager-url', kind: 'string', default: '',
      help: 'Comma-separated Alertmanager URLs; every alert is sent to each. A URL\'s path is the prefix of /api/v2/alerts; user:password@ becomes basic auth.' },
    { key: 'enable_alertmanager_v2', flag: 'ruler.alertmanager-use-v2', kind: 'bool', default: true,
      help: 'Use Alertmanager\'s API v2 (the only one Alertmanager 0.27 and later serve).' },
    { key: 'notification_queue_capacity', flag: 'ruler.notification-queue-capacity', kind: 'int', default: 10000, min: 1,
      help: 'Alerts queued per Alertmanager; past it the oldest are dropped.' },
    { key: 'notification_timeout', flag: 'ruler.notification-timeout', kind: 'duration', default: '10s', min: 1,
      help: 'Timeout of one POST to an Alertmanager.' },
    { key: 'for_outage_tolerance', flag: 'ruler.for-outage-tolerance', kind: 'duration', default: '1h',
      help: 'After a start or a handover, the `for` state of alerting rules is restored (their expression run at now - for) only when `for` is at most this.' },
    { key: 'for_grace_period', flag: 'ruler.for-grace-period', kind: 'duration', default: '10m',
      help: 'Alerting rules whose `for` is shorter than this are not restored after a start or a handover; they wait their `for` again.' },
    { key: 'resend_delay', flag: 'ruler.resend-delay', kind: 'duration', default: '1m', min: 1,
      help: 'Least time between two sends of the same alert to Alertmanager.' },
    { key: 'enable_api', flag: 'ruler.enable-api', kind: 'bool', default: true,
      help: 'Serve the rules API (/loki/api/v1/rules, /api/prom/rules, /prometheus/api/v1/rules and alerts).' },
    { key: 'enabled_tenants', flag: 'ruler.enabled-tenants', kind: 'list', default: [],
      help: 'Tenants whose rules this ruler evaluates; empty means all.' },
    { key: 'disabled_tenants', flag: 'ruler.disabled-tenants', kind: 'list', default: [],
      help: 'Tenants whose rules this ruler does not evaluate.' },
    { key: 'disable_rule_group_label', flag: 'ruler.disable-rule-group-label', kind: 'bool', default: false,
      help: 'Leave the rule_group label off the rule metrics.' },
    { key: 'shard_count', flag: 'ruler.shard-count', kind: 'int', default: 16, min: 1,
      help: 'Shards of rule groups handed out over the rulers as the partitions of the control topic <kafka_config.topic>.ruler (consumer group <kafka_config.consumer_group>-ruler); each group is evaluated by the ruler owning its shard.' },
  ],
  sections: {
    alertmanager_client: {
      fields: [
        { key: 'basic_auth_username', flag: 'ruler.alertmanager-client.basic-auth-username', kind: 'string', default: '',
          help: 'Basic auth user name for Alertmanager.' },
        { key: 'basic_auth_password', flag: 'ruler.alertmanager-client.basic-auth-password', kind: 'string', default: '', secret: true,
          help: 'Basic auth password for Alertmanager.' },
        { key: 'type', flag: 'ruler.alertmanager-client.type', kind: 'string', default: 'Bearer',
          help: 'Authorization scheme sent with `credentials`.' },
        { key: 'credentials', flag: 'ruler.alertmanager-client.credentials', kind: 'string', default: '', secret: true,
          help: 'Authorization credentials for Alertmanager; empty sends no Authorization header.' },
      ],
    },
    evaluation: {
      fields: [
        { key: 'mode', flag: 'ruler.evaluation.mode', kind: 'enum', values: ['local', 'remote'], default: 'local',
          help: '`local` runs rule queries through this process\'s querier; `remote` sends them to the query frontend of evaluation.query_frontend.address.' },
        { key: 'max_jitter', flag: 'ruler.evaluation.max-jitter', kind: 'duration', default: '0s',
          help: 'Each rule query waits a fixed share of this, hashed from its text, so queries of one moment spread out; 0 disables.' },
      ],
      sections: {
        query_frontend: {
          fields: [
            { key: 'address', flag: 'ruler.evaluation.query-frontend.address', kind: 'string', default: '',
              help: 'host:port (or http(s) URL) of the query frontend remote evaluation posts /loki/api/v1/query to (Loki\'s is a gRPC address; Fjord\'s frontend speaks HTTP).' },
          ],
        },
      },
    },
    storage: {
      fields: [
        { key: 'type', flag: 'ruler.storage.type', kind: 'enum', values: RULE_STORE_TYPES, default: '',
          help: 'Where rule groups are kept: empty uses the process\'s object store (S3 or the filesystem store, writable through the API), `local` a read-only directory of rule files, `s3` the bucket of ruler.storage.s3.' },
      ],
      sections: {
        local: {
          fields: [
            { key: 'directory', flag: 'ruler.storage.local.directory', kind: 'string', default: '',
              help: 'Directory of rule files, one subdirectory per tenant, one file per namespace.' },
          ],
        },
        s3: s3SectionSpec('ruler.storage', 'Bucket holding rule groups when ruler.storage.type is s3.'),
      },
    },
    wal: {
      fields: [
        { key: 'dir', flag: 'ruler.wal.dir', kind: 'string', default: '',
          help: 'Directory of the per-tenant queues of samples to remote-write; empty means <path_prefix>/ruler-wal.' },
        { key: 'truncate_frequency', flag: 'ruler.wal.truncate-frequency', kind: 'duration', default: '1h', min: 1,
          help: 'How often sent and too old samples are removed from the queues.' },
        { key: 'min_age', flag: 'ruler.wal.min-age', kind: 'duration', default: '5m',
          help: 'Samples younger than this are kept in the queue even when sent.' },
        { key: 'max_age', flag: 'ruler.wal.max-age', kind: 'duration', default: '4h',
          help: 'Samples older than this are dropped from the queue even when not sent: the longest receiver outage that loses nothing.' },
      ],
    },
    remote_write: {
      fields: [
        { key: 'enabled', flag: 'ruler.remote-write.enabled', kind: 'bool', default: false,
          help: 'Remote-write the samples of recording rules (and the ALERTS series); when off they are discarded.' },
        { key: 'add_org_id_header', flag: 'ruler.remote-write.add-org-id-header', kind: 'bool', default: true,
          help: 'Send X-Scope-OrgID: <tenant> with remote-write requests.' },
      ],
      maps: {
        clients: { kind: 'sections', entry: remoteWriteClientSection, help: 'Remote-write clients by id; every sample goes to each.' },
      },
    },
  },
  maps: {
    external_labels: { kind: 'strings', help: 'Labels added to alerts sent to Alertmanager (where the alert lacks them), and $externalLabels of templates.' },
  },
} as const satisfies SectionSpec;
