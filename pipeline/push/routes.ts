/**
 * Loki's push endpoints: `POST /loki/api/v1/push` and the legacy `/api/prom/push` (Loki JSON when
 * `Content-Type: application/json`, else snappy-compressed protobuf; gzip/deflate bodies), and
 * `POST /otlp/v1/logs`. 204 on success; errors as Loki answers them (plain text; OTLP gets a
 * protobuf google.rpc.Status and 503 where Loki would say 500).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FjordError } from '../../schemas/index.js';
import type { FjordConfig } from '../../schemas/config/index.js';
import { resolveWriteTenant } from '../../schemas/labels/index.js';
import {
  WRITE_POSITION_HEADER, decodeLegacyPushJson, decodePushJson, decodePushProtobuf, encodeWritePosition, type PushRequest, type WritePosition,
} from '../../schemas/record/index.js';
import type { Distributor } from '../distributor/distributor.js';
import type { Limits } from '../../schemas/config/tenant-limits.js';
import { describeError, type Clock } from '../../platform/index.js';
import { decodeContentEncoding, decodeRawSnappy, receivedTooLarge } from './body.js';
import { decodeOtlpEncoding, decodeOtlpPush, encodeRpcStatus } from './otlp.js';

/** What the push routes need. */
export interface PushRouteDeps {
  readonly distributor: Distributor;
  readonly limits: Limits;
  readonly authEnabled: boolean;
  readonly cfg: FjordConfig['distributor'];
  readonly zstd: (data: Uint8Array) => Uint8Array;
  /** Where OTLP records without a time get theirs. */
  readonly clock: Clock;
}

function mediaType(req: FastifyRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function bodyOf(req: FastifyRequest): Uint8Array {
  return req.body instanceof Uint8Array ? req.body : new Uint8Array(0);
}

/**
 * Decode a Loki push body (JSON or snappy protobuf) as Loki's `parsePushRequestBody`: JSON sent to
 * a path without `/loki/api/v1` (`/api/prom/push`) is the legacy shape, as Loki's `GetVersion`.
 */
export function decodeLokiPush(body: Uint8Array, contentType: string, contentEncoding: string | undefined, cfg: PushRouteDeps['cfg'], path: string): PushRequest {
  const decoded = decodeContentEncoding(body, contentEncoding, cfg.max_decompressed_size);
  if (contentType === 'application/json') return path.toLowerCase().includes('/loki/api/v1') ? decodePushJson(decoded) : decodeLegacyPushJson(decoded);
  return decodePushProtobuf(decodeRawSnappy(decoded, cfg.max_decompressed_size));
}

/** Register the push routes on `app` (in their own scope, with a raw body parser). */
export function registerPushRoutes(app: FastifyInstance, deps: PushRouteDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.cfg.max_recv_msg_size }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: unknown, req, reply) => {
      const e = err as { code?: string };
      const fjord = e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? receivedTooLarge(Number(req.headers['content-length'] ?? 0), deps.cfg.max_recv_msg_size) : err;
      return req.routeOptions.url === '/otlp/v1/logs' ? sendOtlpError(reply, fjord) : sendLokiError(reply, fjord);
    });

    const lokiPush = async (req: FastifyRequest, reply: FastifyReply) => {
      const tenant = resolveWriteTenant(header(req, 'x-scope-orgid'), deps.authEnabled);
      const push = decodeLokiPush(bodyOf(req), mediaType(req), header(req, 'content-encoding'), deps.cfg, req.url);
      const outcome = await deps.distributor.push(tenant, push, 'loki');
      withPosition(reply, outcome.position);
      if (outcome.refused === null) return reply.code(204).send();
      return sendLokiError(reply, new FjordError(outcome.refused.reason, outcome.refused.message));
    };
    scope.post('/loki/api/v1/push', lokiPush);
    scope.post('/api/prom/push', lokiPush);

    scope.post('/otlp/v1/logs', async (req, reply) => {
      const tenant = resolveWriteTenant(header(req, 'x-scope-orgid'), deps.authEnabled);
      const body = decodeOtlpEncoding(bodyOf(req), header(req, 'content-encoding'), deps.cfg.max_decompressed_size, deps.zstd);
      const push = decodeOtlpPush(body, header(req, 'content-type') ?? '', deps.limits.forTenant(tenant).discover_service_name, BigInt(deps.clock.now()) * 1_000_000n);
      const outcome = await deps.distributor.push(tenant, push, 'otlp');
      withPosition(reply, outcome.position);
      if (outcome.refused === null) return reply.code(204).send();
      return sendOtlpError(reply, new FjordError(outcome.refused.reason, outcome.refused.message));
    });
  });
}

/** The write position header, when the push wrote anything (read-your-writes). */
function withPosition(reply: FastifyReply, position: WritePosition): void {
  if (position.size > 0) void reply.header(WRITE_POSITION_HEADER, encodeWritePosition(position));
}

/** Loki push errors: plain text, the status from the error's code. */
function sendLokiError(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, body } = describeError(err);
  return reply.code(status).type('text/plain; charset=utf-8').send(`${body}\n`);
}

/** OTLP errors: protobuf google.rpc.Status, with 500 mapped to 503 so exporters retry (Loki's OTLPError). */
function sendOtlpError(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, body } = describeError(err);
  return reply
    .code(status === 500 ? 503 : status)
    .type('application/octet-stream')
    .send(Buffer.from(encodeRpcStatus(body)));
}
