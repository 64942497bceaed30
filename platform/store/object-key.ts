/** Validation of object keys, shared by both stores. Pure. */
import { FjordError } from '../../schemas/index.js';

/** Throws FjordError('invalid_object_key') unless `key` is a relative `/`-separated path without `.`/`..` parts. */
export function checkObjectKey(key: string): void {
  const bad =
    key === '' ||
    key.startsWith('/') ||
    key.endsWith('/') ||
    key.includes('\0') ||
    key.split('/').some((part) => part === '' || part === '.' || part === '..');
  if (bad) throw new FjordError('invalid_object_key', `invalid object key ${JSON.stringify(key)}`);
}
