/**
 * Prometheus's labels.StableHash: XXH64 over each label's name, 0xff, value, 0xff in label order.
 * Loki's iterators order samples of equal timestamp from different streams by this hash of the
 * stream labels (pkg/iter SampleIteratorHeap). Pure.
 */
import { xxhash64 } from '../wire/index.js';
import type { Labels } from './labels.js';

const utf8 = new TextEncoder();
const SEP = 0xff;

/** labels.StableHash of a label set sorted by name, as an unsigned 64-bit integer. */
export function labelsStableHash(labels: Labels): bigint {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const l of labels) {
    const name = utf8.encode(l.name);
    const value = utf8.encode(l.value);
    parts.push(name, value);
    size += name.length + value.length + 2;
  }
  const b = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    b.set(p, at);
    at += p.length;
    b[at++] = SEP;
  }
  return xxhash64(b);
}
