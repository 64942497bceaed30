/**
 * Reading the delete requests stored under `compactor/delete-requests/` (schemas/index/
 * delete-requests.ts): the compactor reads them to serve the delete API and to process them,
 * queriers to leave deleted lines out of answers. A request body is immutable, so each is fetched
 * once per reader; the processed pieces come from the listing alone.
 */
import { isFjordError } from '../../schemas/index.js';
import {
  decodeDeleteRequest, deleteRequestsPrefix, groupDeleteRequestObjects, type DeleteRequest,
} from '../../schemas/index/index.js';
import { listAll, type ObjectStore } from './object-store.js';

/** A request with the pieces already processed (index → when the mark was written, ms). */
export interface StoredDeleteRequest {
  readonly request: DeleteRequest;
  readonly processed: ReadonlyMap<number, number>;
}

/** Bodies kept per reader; a request's body never changes. */
const MAX_CACHED_BODIES = 100_000;

/** Lists and reads delete requests, keeping their bodies. */
export class DeleteRequestReader {
  private readonly bodies = new Map<string, DeleteRequest>();

  constructor(private readonly store: ObjectStore) {}

  /**
   * The requests of `tenant` (every tenant's when undefined). A request being cancelled (its body
   * gone, marks left) is not one. Throws the store's errors, and FjordError('index_corrupt') for a
   * body that is not a request's.
   */
  async list(tenant?: string, signal?: AbortSignal): Promise<StoredDeleteRequest[]> {
    const objects = [];
    for await (const o of listAll(this.store, deleteRequestsPrefix(tenant), signal)) objects.push(o);
    const out: StoredDeleteRequest[] = [];
    const present = new Set<string>();
    for (const g of groupDeleteRequestObjects(objects)) {
      if (g.requestKey === null) continue;
      present.add(g.requestKey);
      let request = this.bodies.get(g.requestKey);
      if (!request) {
        try {
          request = decodeDeleteRequest(await this.store.get(g.requestKey, signal));
        } catch (err) {
          if (isFjordError(err, 'object_not_found')) continue;
          throw err;
        }
        if (this.bodies.size >= MAX_CACHED_BODIES) this.bodies.clear();
        this.bodies.set(g.requestKey, request);
      }
      out.push({ request, processed: g.processed });
    }
    if (tenant === undefined) for (const key of this.bodies.keys()) if (!present.has(key)) this.bodies.delete(key);
    return out;
  }
}
