/**
 * Which partition a stream goes to: FNV-1 32-bit (Go's hash/fnv New32, as Loki's `TokenFor`) over
 * the tenant id then the canonical label text, modulo the partition count. A stream therefore
 * always lands on one partition and keeps its order there. (Loki maps the same token onto a
 * partition ring of 512 tokens per partition; Fjord takes the token modulo the partition count,
 * which needs no ring and spreads as evenly.) Pure.
 */
import { fnv1_32 } from '../../schemas/wire/index.js';

/** The partition of the stream `labelsText` of `tenant` among `partitions`. */
export function partitionFor(tenant: string, labelsText: string, partitions: number): number {
  return fnv1_32(tenant, labelsText) % partitions;
}
