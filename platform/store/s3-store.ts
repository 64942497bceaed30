/**
 * The S3 object store on @aws-sdk/client-s3 (AWS or any S3-compatible server). The SDK retries
 * what is safe to retry (`max_retries` attempts); vendor errors become FjordErrors here.
 */
import {
  DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command,
  PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { FjordError, errorMessage } from '../../schemas/index.js';
import type { FjordConfig } from '../../schemas/config/index.js';
import type { Logger } from '../logger.js';
import { checkObjectKey } from './object-key.js';
import type { ListOptions, ListPage, ObjectInfo, ObjectStore } from './object-store.js';
import type { S3Metrics } from './s3-metrics.js';

type S3Config = FjordConfig['common']['storage']['s3'];

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(err) === 404;
}

function failure(op: string, key: string, err: unknown): FjordError {
  if (err instanceof FjordError) return err;
  if ((err as { name?: string }).name === 'AbortError') return new FjordError('aborted', `s3 ${op} ${key}: aborted`, { cause: err });
  if (isNotFound(err)) return new FjordError('object_not_found', `object ${key} not found`, { cause: err });
  const name = err instanceof S3ServiceException ? `${err.name}: ` : '';
  return new FjordError('object_store_unavailable', `s3 ${op} ${key}: ${name}${errorMessage(err)}`, { cause: err });
}

const START_BACKOFF_MS = [250, 500, 1000, 2000, 5000];

/** ObjectStore on an S3 bucket. */
export class S3Store implements ObjectStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(
    private readonly cfg: S3Config,
    private readonly logger: Logger,
    private readonly metrics: S3Metrics | null = null,
  ) {
    this.bucket = cfg.bucketnames;
    const endpoint = cfg.endpoint === '' ? undefined : /^https?:\/\//.test(cfg.endpoint) ? cfg.endpoint : `${cfg.insecure ? 'http' : 'https'}://${cfg.endpoint}`;
    this.client = new S3Client({
      endpoint,
      region: cfg.region || 'us-east-1',
      forcePathStyle: cfg.s3forcepathstyle,
      maxAttempts: cfg.max_retries,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(cfg.access_key_id !== ''
        ? { credentials: { accessKeyId: cfg.access_key_id, secretAccessKey: cfg.secret_access_key } }
        : {}),
    });
  }

  /** Wait until the bucket answers, retrying with backoff; logs the endpoint and the reason while it does not. */
  async start(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: signal });
        return;
      } catch (err) {
        if (signal.aborted) throw new FjordError('aborted', 'start aborted', { cause: err });
        const wait = START_BACKOFF_MS[Math.min(attempt, START_BACKOFF_MS.length - 1)] as number;
        this.logger.warn(
          { endpoint: this.cfg.endpoint || 'aws', bucket: this.bucket, err: errorMessage(err), retry_in_ms: wait },
          'object store not reachable yet',
        );
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async stop(): Promise<void> {
    this.client.destroy();
  }

  /** Run one S3 request, timed as `operation` (Loki's name) with dskit's status code: `200`, or `500` for any error. */
  private async timed<T>(operation: string, request: () => Promise<T>): Promise<T> {
    if (this.metrics === null) return request();
    const end = this.metrics.requestDuration.startTimer({ operation });
    try {
      const out = await request();
      end({ status_code: '200' });
      return out;
    } catch (err) {
      end({ status_code: '500' });
      throw err;
    }
  }

  async put(key: string, body: Uint8Array, signal?: AbortSignal): Promise<void> {
    checkObjectKey(key);
    try {
      await this.timed('S3.PutObject', () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }), { abortSignal: signal }));
    } catch (err) {
      throw failure('put', key, err);
    }
  }

  async putIfAbsent(key: string, body: Uint8Array, signal?: AbortSignal): Promise<boolean> {
    checkObjectKey(key);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.timed('S3.PutObject', () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, IfNoneMatch: '*' }), { abortSignal: signal }));
        return true;
      } catch (err) {
        const status = statusOf(err);
        if (status === 412) return false;
        if (status === 409 && attempt < 5) {
          await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
          continue;
        }
        throw failure('put-if-absent', key, err);
      }
    }
  }

  async get(key: string, signal?: AbortSignal): Promise<Uint8Array> {
    checkObjectKey(key);
    try {
      return await this.timed('S3.GetObject', async () => {
        const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
        return await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
      });
    } catch (err) {
      throw failure('get', key, err);
    }
  }

  async getRange(key: string, offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    checkObjectKey(key);
    if (length <= 0) return new Uint8Array(0);
    try {
      return await this.timed('S3.GetObject', async () => {
        const out = await this.client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${offset}-${offset + length - 1}` }),
          { abortSignal: signal },
        );
        return await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
      });
    } catch (err) {
      if (statusOf(err) === 416) return new Uint8Array(0);
      throw failure('get-range', key, err);
    }
  }

  async head(key: string, signal?: AbortSignal): Promise<ObjectInfo | null> {
    checkObjectKey(key);
    try {
      const out = await this.timed('S3.GetAttributes', () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal }));
      return { key, sizeBytes: out.ContentLength ?? 0, lastModifiedMs: out.LastModified?.getTime() ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw failure('head', key, err);
    }
  }

  async listPage(prefix: string, options: ListOptions = {}, signal?: AbortSignal): Promise<ListPage> {
    try {
      const out = await this.timed('S3.List', () => this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          Delimiter: options.delimiter,
          ContinuationToken: options.token ?? undefined,
          MaxKeys: options.maxKeys ?? 1000,
        }),
        { abortSignal: signal },
      ));
      return {
        objects: (out.Contents ?? []).map((o) => ({ key: o.Key ?? '', sizeBytes: o.Size ?? 0, lastModifiedMs: o.LastModified?.getTime() ?? 0 })),
        prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''),
        nextToken: out.IsTruncated ? (out.NextContinuationToken ?? null) : null,
      };
    } catch (err) {
      throw failure('list', prefix, err);
    }
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    checkObjectKey(key);
    try {
      await this.timed('S3.DeleteObject', () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal }));
    } catch (err) {
      if (!isNotFound(err)) throw failure('delete', key, err);
    }
  }
}
