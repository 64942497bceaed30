/**
 * Retention marks: objects the compactor writes under `compactor/retention-marks/` naming chunk
 * objects it dropped from the index because they passed their tenant's retention period. The
 * chunks themselves are deleted `retention_delete_delay` after the mark was written (Loki's
 * marker files, kept in the object store so any compactor that becomes leader finds them).
 * Key: `compactor/retention-marks/<markedAtMs, 13 digits>-<id>`, so a listing is in mark-time
 * order. Body: the line `FJRM1`, then one chunk key per line. Pure.
 */
import { FjordError } from '../errors.js';
import { parseChunkKey } from './object-keys.js';

/** The prefix under which every retention mark is stored. */
export const RETENTION_MARKS_PREFIX = 'compactor/retention-marks/';

const MARK_MAGIC = 'FJRM1';
const MARK_KEY = /^compactor\/retention-marks\/(\d{13})-([A-Za-z0-9_.-]{1,100})$/;
const MARK_ID = /^[A-Za-z0-9_.-]{1,100}$/;

/** What a retention mark key is made of. */
export interface RetentionMarkKeyParts {
  /** When the mark was written, ms since the Unix epoch. */
  readonly markedAtMs: number;
  readonly id: string;
}

/** The key of a retention mark. Throws FjordError('invalid_object_key') for a bad time or id. */
export function retentionMarkKey(parts: RetentionMarkKeyParts): string {
  if (!Number.isSafeInteger(parts.markedAtMs) || parts.markedAtMs < 0 || parts.markedAtMs > 9_999_999_999_999) {
    throw new FjordError('invalid_object_key', `invalid retention mark time ${parts.markedAtMs}`);
  }
  if (!MARK_ID.test(parts.id) || parts.id === '.' || parts.id === '..') throw new FjordError('invalid_object_key', `invalid retention mark id ${JSON.stringify(parts.id)}`);
  return `${RETENTION_MARKS_PREFIX}${String(parts.markedAtMs).padStart(13, '0')}-${parts.id}`;
}

/** The parts of a retention mark key, or null for any other key. */
export function parseRetentionMarkKey(key: string): RetentionMarkKeyParts | null {
  const m = MARK_KEY.exec(key);
  if (m === null) return null;
  return { markedAtMs: Number(m[1]), id: m[2] as string };
}

/** The body of a mark naming `chunkKeys`. Throws FjordError('invalid_object_key') for a key that is not a chunk key. */
export function encodeRetentionMark(chunkKeys: readonly string[]): Uint8Array {
  for (const k of chunkKeys) parseChunkKey(k);
  return new TextEncoder().encode([MARK_MAGIC, ...chunkKeys].join('\n') + '\n');
}

/** The chunk keys a mark names. Throws FjordError('index_corrupt') for a body that is not a mark's. */
export function decodeRetentionMark(bytes: Uint8Array): string[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FjordError('index_corrupt', 'retention mark: not valid UTF-8');
  }
  const lines = text.split('\n').filter((l) => l !== '');
  if (lines[0] !== MARK_MAGIC) throw new FjordError('index_corrupt', 'retention mark: bad header');
  const keys = lines.slice(1);
  for (const k of keys) {
    try {
      parseChunkKey(k);
    } catch (err) {
      throw new FjordError('index_corrupt', `retention mark: ${(err as Error).message}`, { cause: err });
    }
  }
  return keys;
}
