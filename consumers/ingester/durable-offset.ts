/**
 * The durability rule, in one place: a partition's committable offset is the lowest offset whose
 * data is not yet in an uploaded chunk and an uploaded index bundle; when nothing of the partition
 * is held only in memory, it is the next offset to consume. Never commit past data that exists
 * only in memory. Pure.
 */

/**
 * The offset that may be committed for a partition.
 * @param nextOffset the next offset to consume (everything below it has been read)
 * @param heldFrom for each piece of data held only in memory (open chunks, chunks uploaded but not
 *   yet in an uploaded index bundle), the offset of the first record it came from
 */
export function committableOffset(nextOffset: number, heldFrom: Iterable<number>): number {
  let min = nextOffset;
  for (const o of heldFrom) if (o < min) min = o;
  return min;
}
