/** `ingester:` — chunk cutting and flushing (Loki's `L:pkg/ingester` names and defaults). */
import type { SectionSpec } from './field.js';

export const CHUNK_ENCODINGS = ['zstd', 'gzip', 'snappy', 'none'] as const;

export const ingesterSection = {
  fields: [
    { key: 'chunk_block_size', flag: 'ingester.chunks-block-size', kind: 'bytes', default: 262_144, min: 1024,
      help: 'Uncompressed size at which the head block of a stream is cut into a compressed block.' },
    { key: 'chunk_target_size', flag: 'ingester.chunk-target-size', kind: 'bytes', default: 1_572_864, min: 1024,
      help: 'Compressed size at which a chunk is cut and flushed.' },
    { key: 'chunk_encoding', flag: 'ingester.chunk-encoding', kind: 'enum', values: CHUNK_ENCODINGS, default: 'zstd',
      help: 'Compression of chunk blocks.' },
    { key: 'max_chunk_age', flag: 'ingester.max-chunk-age', kind: 'duration', default: '2h', min: 1000,
      help: 'A chunk is flushed at this age; half of it is the out-of-order window of a stream.' },
    { key: 'chunk_idle_period', flag: 'ingester.chunks-idle-period', kind: 'duration', default: '30m', min: 1000,
      help: 'How long a chunk sits in memory with no appends before it is flushed.' },
    { key: 'flush_check_period', flag: 'ingester.flush-check-period', kind: 'duration', default: '30s', min: 10,
      help: 'How often streams are checked for chunks to flush.' },
    { key: 'flush_op_timeout', flag: 'ingester.flush-op-timeout', kind: 'duration', default: '10m', min: 1000,
      help: 'Timeout of one flush (chunk upload, index bundle upload).' },
    { key: 'concurrent_flushes', flag: 'ingester.concurrent-flushes', kind: 'int', default: 32, min: 1,
      help: 'How many chunks are uploaded at once.' },
    { key: 'availability_zone', flag: 'ingester.availability-zone', kind: 'string', default: 'default',
      help: 'Zone of this ingester; every zone consumes every partition, in consumer group fjord-ingester-<zone>.' },
    { key: 'max_memory', flag: 'ingester.max-memory', kind: 'bytes', default: '2GB', min: 1_048_576,
      help: 'Memory held by open and not yet durable chunks; past it the largest chunks are cut and consumption waits until uploads free memory.' },
    { key: 'index_upload_interval', flag: 'ingester.index-upload-interval', kind: 'duration', default: '1m', min: 10,
      help: 'How often the index entries written since the last upload are sealed into a bundle and uploaded.' },
  ],
  sections: {
    wal: {
      fields: [
        { key: 'replay_memory_ceiling', flag: 'ingester.wal-replay-memory-ceiling', kind: 'bytes', default: '4GB',
          min: 1_048_576, help: 'While replaying a partition, flush when memory held passes this.' },
      ],
    },
  },
} as const satisfies SectionSpec;
