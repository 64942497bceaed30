/**
 * The delete requests a querier leaves out of its answers, per tenant, read from the object store
 * where the compactor keeps them and re-read at most every `storage_config.index_shipper.resync_interval`
 * (how often queriers look for other store changes too). A request is applied until it is
 * processed and then for `keepProcessedMs` more, until every querier has re-listed the index
 * bundles that no longer refer to the deleted lines.
 */
import { errorMessage } from '../../schemas/index.js';
import { fnv1a64Hex } from '../../schemas/wire/index.js';
import type { LogSelectorCompiler } from '../../schemas/labels/index.js';
import type { DeleteRequestReader, Logger, StoredDeleteRequest } from '../../platform/index.js';
import type { QueryDelete } from '../engine/deleted-entries.js';

/** How often and how long requests are applied. */
export interface DeleteFilterOptions {
  /** Re-read a tenant's requests when its copy is older than this. */
  readonly refreshMs: number;
  /** Keep applying a processed request this long after its last piece was processed. */
  readonly keepProcessedMs: number;
}

interface TenantDeletes {
  readonly loadedAtMs: number;
  readonly requests: readonly StoredDeleteRequest[];
  readonly deletes: readonly QueryDelete[];
}

/** A tenant's delete requests for queries, cached. */
export class DeleteFilter {
  private readonly tenants = new Map<string, TenantDeletes>();
  private readonly loading = new Map<string, Promise<TenantDeletes>>();
  private readonly compiled = new Map<string, QueryDelete['selector']>();

  constructor(
    private readonly reader: DeleteRequestReader,
    private readonly compile: LogSelectorCompiler,
    private readonly opts: DeleteFilterOptions,
    private readonly logger: Logger,
  ) {}

  private active(r: StoredDeleteRequest, nowMs: number): boolean {
    if (r.processed.size < r.request.shards.length) return true;
    const last = Math.max(...r.processed.values());
    return last + this.opts.keepProcessedMs >= nowMs;
  }

  private async load(tenant: string, nowMs: number, signal?: AbortSignal): Promise<TenantDeletes> {
    const requests = await this.reader.list(tenant, signal);
    const deletes: QueryDelete[] = [];
    for (const r of requests) {
      if (!this.active(r, nowMs)) continue;
      let selector = this.compiled.get(r.request.query);
      if (!selector) {
        try {
          selector = this.compile(r.request.query);
        } catch (err) {
          this.logger.warn({ tenant, delete_request_id: r.request.requestId, err: errorMessage(err) }, 'a stored delete request has a query LogQL refuses; not applied');
          continue;
        }
        this.compiled.set(r.request.query, selector);
      }
      deletes.push({ interval: { startMs: r.request.startMs, endMs: r.request.endMs }, selector });
    }
    return { loadedAtMs: nowMs, requests, deletes };
  }

  private async tenant(tenant: string, nowMs: number, signal?: AbortSignal): Promise<TenantDeletes> {
    const have = this.tenants.get(tenant);
    if (have && nowMs - have.loadedAtMs < this.opts.refreshMs) return have;
    let pending = this.loading.get(tenant);
    if (!pending) {
      pending = this.load(tenant, nowMs, signal).finally(() => this.loading.delete(tenant));
      this.loading.set(tenant, pending);
    }
    const got = await pending;
    this.tenants.set(tenant, got);
    return got;
  }

  /** The deletes to apply to `tenant`'s answers. Throws the store's errors (the query fails rather than show deleted lines). */
  async forTenant(tenant: string, nowMs: number, signal?: AbortSignal): Promise<readonly QueryDelete[]> {
    return (await this.tenant(tenant, nowMs, signal)).deletes;
  }

  /**
   * A text that changes whenever the tenants' requests or their progress change: part of the
   * results cache key, so cached results made before a delete are not served after it (Loki's
   * cache generation number). Empty when the tenants have no requests.
   */
  async generation(tenants: readonly string[], nowMs: number, signal?: AbortSignal): Promise<string> {
    const parts: string[] = [];
    for (const t of tenants) {
      for (const r of (await this.tenant(t, nowMs, signal)).requests) parts.push(`${t}/${r.request.requestId}/${r.processed.size}`);
    }
    return parts.length === 0 ? '' : fnv1a64Hex(parts.sort().join('\n'));
  }
}
