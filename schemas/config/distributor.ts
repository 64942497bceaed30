/** `distributor:` — push handling (Loki's names and defaults). */
import type { SectionSpec } from './field.js';

export const distributorSection = {
  fields: [
    { key: 'max_recv_msg_size', flag: 'distributor.max-recv-msg-size', kind: 'bytes', default: '100MB', min: 1024,
      help: 'Largest push body accepted, as sent (compressed); larger pushes get 413.' },
    { key: 'max_decompressed_size', flag: 'distributor.max-decompressed-size', kind: 'bytes', default: '5000MB',
      min: 1024, help: 'Largest push body after decompression; larger pushes get 413.' },
    { key: 'max_inflight_bytes', flag: 'distributor.max-inflight-bytes', kind: 'bytes', default: '256MB', min: 0,
      help: 'Push bytes being validated and produced at once; a push past it waits up to kafka_config.write_timeout, then gets 503. 0 disables the bound.' },
  ],
} as const satisfies SectionSpec;
