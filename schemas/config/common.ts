/** `common:` — settings shared by several modules (Loki's `common` block). */
import type { SectionSpec } from './field.js';

/** An S3 client's settings, with Loki's flags under `prefix` (`common.storage`, `ruler.storage`). */
export function s3SectionSpec(prefix: string, bucketHelp: string) {
  return {
    fields: [
      { key: 'endpoint', flag: `${prefix}.s3.endpoint`, kind: 'string', default: '',
        help: 'S3 endpoint URL (http://host:port for S3-compatible servers); empty uses AWS.' },
      { key: 'region', flag: `${prefix}.s3.region`, kind: 'string', default: '',
        help: 'Region to use; empty takes AWS_REGION from the environment, else us-east-1.' },
      { key: 'bucketnames', flag: `${prefix}.s3.buckets`, kind: 'string', default: '',
        help: bucketHelp },
      { key: 'access_key_id', flag: `${prefix}.s3.access-key-id`, kind: 'string', default: '',
        help: 'Access key id; empty uses the SDK credential chain (AWS_ACCESS_KEY_ID, profiles, instance roles).' },
      { key: 'secret_access_key', flag: `${prefix}.s3.secret-access-key`, kind: 'string', default: '', secret: true,
        help: 'Secret access key.' },
      { key: 's3forcepathstyle', flag: `${prefix}.s3.force-path-style`, kind: 'bool', default: false,
        help: 'Use path-style addressing (http://host/bucket/key), as most S3-compatible servers need.' },
      { key: 'insecure', flag: `${prefix}.s3.insecure`, kind: 'bool', default: false,
        help: 'Use http rather than https when the endpoint names no scheme.' },
      { key: 'max_retries', flag: `${prefix}.s3.max-retries`, kind: 'int', default: 5, min: 1,
        help: 'Attempts per S3 request, for errors where a retry is safe.' },
    ],
  } as const satisfies SectionSpec;
}

const s3Section = s3SectionSpec('common.storage', 'Bucket holding chunks and index bundles. Setting it switches the object store to S3.');

const filesystemSection = {
  fields: [
    { key: 'chunks_directory', flag: 'common.storage.filesystem.chunk-directory', kind: 'string', default: '',
      help: 'Directory of the filesystem object store; empty means <path_prefix>/store.' },
  ],
} as const satisfies SectionSpec;

export const commonSection = {
  fields: [
    { key: 'path_prefix', flag: 'common.path-prefix', kind: 'string', default: 'data',
      help: 'Directory under which Fjord keeps its local state (embedded log, filesystem store, index, caches).' },
    { key: 'instance_addr', flag: 'common.instance-addr', kind: 'string', default: '',
      help: 'Address other Fjord processes use to reach this one over HTTP; empty means 127.0.0.1.' },
  ],
  sections: {
    storage: { fields: [], sections: { s3: s3Section, filesystem: filesystemSection } },
  },
} as const satisfies SectionSpec;
