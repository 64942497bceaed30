/**
 * `fjord index rebuild`: list the chunk objects of every tenant (or one), keep those whose key says
 * they overlap the range, read each one's head with a ranged get, and upload one index bundle per
 * (period, tenant). Tenant by tenant, so memory holds one tenant's refs at a time.
 */
import { errorMessage } from '../../schemas/index.js';
import { CHUNK_PREAMBLE_BYTES, chunkPrefixBytes } from '../../schemas/chunk/index.js';
import {
  chunkKeyPrefix, encodeIndexBundle, indexBundleKey, parseChunkKey, type ChunkKeyParts,
} from '../../schemas/index/index.js';
import {
  ProgressLine, etaMs, formatElapsed, formatRate, listAll, mapLimit, openCommandStore, type CommandArgs,
  type CommandContext, type ObjectStore, type OperatorCommand,
} from '../../platform/index.js';
import { INDEX_REBUILD_COMMAND, parseRebuildArgs } from './rebuild-args.js';
import { chunkFromHead, chunkOverlaps, rebuildBundleId, tablesOf, type RebuiltChunk } from './rebuild-bundles.js';

/** Bytes read first from each chunk; a longer header and block table costs a second ranged get. */
const HEAD_GUESS_BYTES = 8192;

interface Candidate {
  readonly key: string;
  readonly parts: ChunkKeyParts;
  readonly sizeBytes: number;
}

/** Tenants with objects in the store: the first key segment of every object (`index`, `compactor` hold no chunks and list nothing). */
async function tenantsIn(store: ObjectStore, signal: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  let token: string | null = null;
  do {
    const page = await store.listPage('', { delimiter: '/', token }, signal);
    for (const p of page.prefixes) out.push(p.slice(0, -1));
    token = page.nextToken;
  } while (token !== null);
  return out.sort();
}

async function candidatesOf(store: ObjectStore, tenant: string, fromNs: bigint, toNs: bigint, signal: AbortSignal): Promise<{ list: Candidate[]; skipped: number }> {
  const list: Candidate[] = [];
  let skipped = 0;
  let prefix: string;
  try {
    prefix = chunkKeyPrefix(tenant);
  } catch {
    return { list, skipped };
  }
  for await (const o of listAll(store, prefix, signal)) {
    let parts: ChunkKeyParts;
    try {
      parts = parseChunkKey(o.key);
    } catch {
      skipped++;
      continue;
    }
    if (chunkOverlaps(parts, fromNs, toNs)) list.push({ key: o.key, parts, sizeBytes: o.sizeBytes });
  }
  return { list, skipped };
}

async function readHead(store: ObjectStore, c: Candidate, signal: AbortSignal): Promise<RebuiltChunk> {
  let head = await store.getRange(c.key, 0, HEAD_GUESS_BYTES, signal);
  const need = chunkPrefixBytes(head.subarray(0, CHUNK_PREAMBLE_BYTES));
  if (need > head.length) head = await store.getRange(c.key, 0, need, signal);
  return chunkFromHead(c.key, c.parts, c.sizeBytes, head);
}

/** The `fjord index rebuild` subcommand. */
export const indexRebuildCommand: OperatorCommand = {
  spec: INDEX_REBUILD_COMMAND,
  async run(ctx: CommandContext, args: CommandArgs): Promise<number> {
    const req = parseRebuildArgs(args);
    const store = await openCommandStore(ctx.config, ctx.logger, ctx.signal);
    try {
      const startedMs = Date.now();
      const tenants = req.tenant === null ? await tenantsIn(store, ctx.signal) : [req.tenant];
      const perTenant: Array<{ tenant: string; list: Candidate[] }> = [];
      let total = 0;
      let badKeys = 0;
      for (const tenant of tenants) {
        const { list, skipped } = await candidatesOf(store, tenant, req.fromNs, req.toNs, ctx.signal);
        badKeys += skipped;
        if (list.length > 0) perTenant.push({ tenant, list });
        total += list.length;
      }
      ctx.stderr.write(`index rebuild: ${total} chunks of ${perTenant.length} tenant${perTenant.length === 1 ? '' : 's'} overlap the range\n`);
      const line = new ProgressLine(ctx.stderr);
      let scanned = 0;
      let unreadable = 0;
      let bundles = 0;
      const periods = new Set<number>();
      const show = (force = false) => {
        const elapsed = Date.now() - startedMs;
        const eta = etaMs(scanned, total, elapsed);
        line.update(
          `index rebuild: ${scanned}/${total} chunks scanned${unreadable > 0 ? ` (${unreadable} unreadable)` : ''}, ` +
          `${bundles} bundles written for ${periods.size} periods, ${formatRate(scanned, elapsed)}${eta === null ? '' : ` ETA ${formatElapsed(eta)}`}`,
          force,
        );
      };
      for (const { tenant, list } of perTenant) {
        if (ctx.signal.aborted) break;
        const read = await mapLimit(list, req.concurrency, async (c) => {
          if (ctx.signal.aborted) return null;
          try {
            return await readHead(store, c, ctx.signal);
          } catch (err) {
            if (ctx.signal.aborted) return null;
            unreadable++;
            line.finish();
            ctx.stderr.write(`index rebuild: skipped ${c.key}: ${errorMessage(err)}\n`);
            return null;
          } finally {
            scanned++;
            show();
          }
        });
        if (ctx.signal.aborted) break;
        for (const table of tablesOf(read.filter((r): r is RebuiltChunk => r !== null))) {
          const key = indexBundleKey({ period: table.period, tenant, bundleId: rebuildBundleId(table) });
          await store.put(key, encodeIndexBundle(table), ctx.signal);
          bundles++;
          periods.add(table.period);
          show();
        }
      }
      show(true);
      line.finish();
      const interrupted = ctx.signal.aborted;
      ctx.stdout.write(
        `${interrupted ? 'index rebuild interrupted' : 'index rebuild done'}: ${scanned} chunks scanned of ${total} in range` +
        `${unreadable > 0 ? `, ${unreadable} unreadable (skipped)` : ''}${badKeys > 0 ? `, ${badKeys} objects under chunks/ with foreign keys ignored` : ''}; ` +
        `${bundles} index bundles written for ${periods.size} periods and ${perTenant.length} tenants in ${formatElapsed(Date.now() - startedMs)}\n`,
      );
      return interrupted || unreadable > 0 ? 1 : 0;
    } finally {
      await store.stop().catch(() => undefined);
    }
  },
};
