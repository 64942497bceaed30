/**
 * The object store port: what the ingesters, queriers and compactor need from S3. Two
 * implementations: S3 (s3-store.ts) and the filesystem (fs-store.ts). Keys are `/`-separated
 * relative paths; listings are in lexicographic key order, as S3's.
 */

/** Metadata of a stored object. */
export interface ObjectInfo {
  readonly key: string;
  readonly sizeBytes: number;
  readonly lastModifiedMs: number;
}

/** One page of a listing. */
export interface ListPage {
  readonly objects: readonly ObjectInfo[];
  /** With a delimiter: the distinct key prefixes up to and including the delimiter. */
  readonly prefixes: readonly string[];
  /** Pass back as `token` for the next page; null on the last page. */
  readonly nextToken: string | null;
}

/** Listing options. */
export interface ListOptions {
  readonly delimiter?: string;
  readonly token?: string | null;
  /** At most this many entries (objects plus prefixes) per page; default 1000. */
  readonly maxKeys?: number;
}

/** An object store. Errors are FjordError: object_not_found, object_store_unavailable (retryable), invalid_object_key. */
export interface ObjectStore {
  readonly kind: 's3' | 'filesystem';
  start(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
  put(key: string, body: Uint8Array, signal?: AbortSignal): Promise<void>;
  /** Write only if no object has the key; false when one already does. */
  putIfAbsent(key: string, body: Uint8Array, signal?: AbortSignal): Promise<boolean>;
  get(key: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** `length` bytes from `offset` (fewer at the end of the object). */
  getRange(key: string, offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** Metadata, or null when the object does not exist. */
  head(key: string, signal?: AbortSignal): Promise<ObjectInfo | null>;
  listPage(prefix: string, options?: ListOptions, signal?: AbortSignal): Promise<ListPage>;
  /** Delete an object; deleting a missing one is not an error. */
  delete(key: string, signal?: AbortSignal): Promise<void>;
}

/** Every object under `prefix`, page by page. */
export async function* listAll(store: ObjectStore, prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
  let token: string | null = null;
  do {
    const page: ListPage = await store.listPage(prefix, { token }, signal);
    yield* page.objects;
    token = page.nextToken;
  } while (token !== null);
}
