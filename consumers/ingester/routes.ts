/**
 * The ingester's HTTP endpoints: Loki's `/flush` and `/ingester/shutdown`, and the internal
 * recent-data API queriers call (`/ingester/internal/chunks`, `/ingester/internal/series`),
 * the pattern series of the recent streams (`/ingester/internal/patterns`, with `step` in ns),
 * `/ingester/internal/consumed` (how far each owned partition is consumed; with `position`, a write
 * position, it first waits up to `wait_ms` for the owned partitions of it to be consumed that far),
 * the live tail stream (`/ingester/internal/tail`) and the count of a tenant's live tails
 * (`/ingester/internal/tailers`). Formats: FORMATS.md §8.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FjordError } from '../../schemas/index.js';
import { formatLabels, parseShard, validateTenantId, type Shard } from '../../schemas/labels/index.js';
import { decodeWritePosition, encodeChunkList } from '../../schemas/record/index.js';
import type { Ingester } from './ingester.js';
import type { EqualityMatchers } from './recent-data.js';
import { serveTailStream } from './tail-stream.js';

type Query = Record<string, string | string[] | undefined>;

/** The longest one consumed request waits (a querier waiting longer asks again). */
const MAX_WAIT_MS = 30_000;

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[0] : v;
}

function all(q: Query, name: string): string[] {
  const v = q[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function bool(q: Query, name: string, def: boolean): boolean {
  const v = one(q, name);
  return v === undefined ? def : v === 'true' || v === '1';
}

function ns(q: Query, name: string): bigint {
  const v = one(q, name);
  if (v === undefined || !/^-?\d+$/.test(v)) throw new FjordError('bad_request', `invalid ${name}: ${JSON.stringify(v)}`);
  return BigInt(v);
}

function tailParams(req: FastifyRequest): { tenant: string; matchers: EqualityMatchers; partitions: number[] } {
  const q = req.query as Query;
  const tenant = one(q, 'tenant') ?? '';
  validateTenantId(tenant);
  return { tenant, matchers: matchersOf(q), partitions: partitionsOf(q) };
}

function matchersOf(q: Query): EqualityMatchers {
  return all(q, 'match').map((m) => {
    const eq = m.indexOf('=');
    if (eq <= 0) throw new FjordError('bad_request', `invalid match ${JSON.stringify(m)}: want name=value`);
    return [m.slice(0, eq), m.slice(eq + 1)] as const;
  });
}

function partitionsOf(q: Query): number[] {
  const partitions = (one(q, 'partitions') ?? '').split(',').filter((p) => p !== '').map(Number);
  if (partitions.some((p) => !Number.isInteger(p) || p < 0)) throw new FjordError('bad_request', 'invalid partitions');
  return partitions;
}

/** The parameters of an internal recent-data request. */
function recentParams(req: FastifyRequest): { tenant: string; matchers: EqualityMatchers; startNs: bigint; endNs: bigint; partitions: number[]; shard: Shard | null } {
  const q = req.query as Query;
  const tenant = one(q, 'tenant') ?? '';
  validateTenantId(tenant);
  const matchers = matchersOf(q);
  const partitions = partitionsOf(q);
  const shard = one(q, 'shard');
  return { tenant, matchers, startNs: ns(q, 'start'), endNs: ns(q, 'end'), partitions, shard: shard === undefined ? null : parseShard(shard) };
}

/** The recent-data parameters, refused (503) when a requested partition is not served here, so the querier asks another zone. */
function servedParams(req: FastifyRequest, ingester: Ingester): ReturnType<typeof recentParams> {
  const p = recentParams(req);
  const unserved = ingester.owned.unserved(p.partitions);
  if (unserved.length > 0) {
    throw new FjordError('log_unavailable', `partitions ${unserved.map((u) => u.partition).join(',')} are not served by this ingester (${unserved.map((u) => `${u.partition}: ${u.why}`).join('; ')})`);
  }
  return p;
}

/** Register the ingester routes; `terminate` stops the process after `/ingester/shutdown`. */
export function registerIngesterRoutes(app: FastifyInstance, ingester: Ingester, terminate: () => void): void {
  const flush = async (_req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    await ingester.flushAll('flush');
    return reply.code(204).send();
  };
  app.get('/flush', flush);
  app.post('/flush', flush);

  const shutdown = async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const q = req.query as Query;
    await ingester.shutdown(bool(q, 'flush', true));
    if (bool(q, 'terminate', true)) setImmediate(terminate);
    return reply.code(204).send();
  };
  app.get('/ingester/shutdown', shutdown);
  app.post('/ingester/shutdown', shutdown);

  app.get('/ingester/internal/chunks', async (req, reply) => {
    const p = servedParams(req, ingester);
    const body = encodeChunkList(ingester.owned.recentChunks(p.tenant, p.matchers, p.startNs, p.endNs, p.partitions, p.shard));
    return reply.type('application/octet-stream').header('x-fjord-partitions', ingester.owned.numbers().join(',')).send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });

  app.get('/ingester/internal/consumed', async (req) => {
    const q = req.query as Query;
    const text = one(q, 'position');
    const position = text === undefined ? null : decodeWritePosition(text);
    const waitMs = Number(one(q, 'wait_ms') ?? '0');
    if (!Number.isFinite(waitMs) || waitMs < 0) throw new FjordError('bad_request', 'invalid wait_ms');
    if (position !== null) {
      const abort = new AbortController();
      const onClose = () => abort.abort();
      req.raw.on('close', onClose);
      try {
        await ingester.consumption.waitFor(position, Math.min(waitMs, MAX_WAIT_MS), abort.signal);
      } finally {
        req.raw.off('close', onClose);
      }
    }
    const partitions = ingester.owned.numbers().filter((p) => position === null || position.has(p));
    return {
      partitions: partitions.map((partition) => {
        const c = ingester.consumption.get(partition);
        return { partition, consumed_offset: c?.consumed ?? 0, end_offset: c?.end ?? 0, last_record_ms: c?.lastRecordMs ?? null };
      }),
    };
  });

  app.get('/ingester/internal/series', async (req) => {
    const p = servedParams(req, ingester);
    return { partitions: ingester.owned.numbers(), series: ingester.owned.recentSeries(p.tenant, p.matchers, p.startNs, p.endNs, p.partitions).map(formatLabels) };
  });

  app.get('/ingester/internal/patterns', async (req) => {
    const p = servedParams(req, ingester);
    const stepNs = ns(req.query as Query, 'step');
    if (stepNs <= 0n) throw new FjordError('bad_request', 'invalid step: must be positive');
    const streams = ingester.owned.recentPatterns(p.tenant, p.matchers, p.startNs, p.endNs, stepNs, p.partitions).map((s) => ({
      labels: s.labels,
      series: s.series.map((x) => ({ pattern: x.pattern, level: x.level, samples: x.samples.map((v) => [v.tsMs, v.value]) })),
    }));
    return { partitions: ingester.owned.numbers(), streams };
  });

  app.get('/ingester/internal/tail', async (req, reply) => {
    const p = tailParams(req);
    const owned = ingester.owned.numbers();
    const partitions = p.partitions.length === 0 ? owned : p.partitions.filter((x) => owned.includes(x));
    reply.hijack();
    serveTailStream(reply.raw, { tenant: p.tenant, matchers: p.matchers, partitions }, ingester.tails, Date.now);
  });
  app.get('/ingester/internal/tailers', async (req) => {
    const tenant = one(req.query as Query, 'tenant') ?? '';
    validateTenantId(tenant);
    return { count: ingester.tails.countFor(tenant) };
  });
  app.addHook('preClose', async () => ingester.tails.endReading(null, 'the server is stopping'));
}
