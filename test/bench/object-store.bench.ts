/** Object store throughput: put and get MB/s of 1 MiB objects on the filesystem store and on the real S3 server. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { FilesystemStore, S3Store, type ObjectStore } from '../../platform/store/index.js';
import { silentLogger } from '../../platform/logger.js';
import { buildConfig } from '../../schemas/config/index.js';
import { uniqueName } from '../helpers/env.js';
import { corpusLines } from './corpus.js';
import { rate, type BenchFigure, type BenchSuite } from './harness.js';
import { zstdCompressReference } from './reference.js';

const OBJECT_BYTES = 1024 * 1024;
const OBJECTS = 64;
const CONCURRENCY = 8;

async function inParallel(n: number, work: (i: number) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < n) await work(next++);
  }));
  return (performance.now() - t0) / 1000;
}

async function measure(name: string, store: ObjectStore, body: Uint8Array, reference: BenchFigure['reference']): Promise<BenchFigure[]> {
  const mb = (OBJECTS * body.length) / 1e6;
  const putS = await inParallel(OBJECTS, (i) => store.put(`bench/${i}`, body));
  let got = 0;
  const getS = await inParallel(OBJECTS, async (i) => {
    const back = await store.get(`bench/${i}`);
    got += back.length;
  });
  if (got !== OBJECTS * body.length) throw new Error(`${name}: read back ${got} bytes`);
  for (let i = 0; i < OBJECTS; i++) await store.delete(`bench/${i}`);
  return [
    { name: `${name} put`, figure: rate('put', mb / putS, 'MB/s'), reference, note: `${OBJECTS} × 1 MiB, ${CONCURRENCY} at once` },
    { name: `${name} get`, figure: rate('get', mb / getS, 'MB/s'), reference, note: `${OBJECTS} × 1 MiB, ${CONCURRENCY} at once` },
  ];
}

export const suite: BenchSuite = {
  name: 'object store',
  needsServices: true,
  async run() {
    const body = Buffer.from(corpusLines(12_000).join('\n')).subarray(0, OBJECT_BYTES);
    const reference = await zstdCompressReference(body);
    const dir = await mkdtemp(join(tmpdir(), 'fjord-bench-'));
    const fsStore = new FilesystemStore(dir);
    await fsStore.start();
    const out = await measure('filesystem store', fsStore, body, reference);
    await rm(dir, { recursive: true, force: true });
    const bucket = uniqueName('fjord-bench');
    const s3cfg = buildConfig({
      file: { common: { storage: { s3: {
        endpoint: process.env.S3_ENDPOINT, bucketnames: bucket, region: process.env.S3_REGION ?? 'us-east-1',
        access_key_id: process.env.S3_ACCESS_KEY_ID, secret_access_key: process.env.S3_SECRET_ACCESS_KEY, s3forcepathstyle: true,
      } } } },
      flags: [],
    }).common.storage.s3;
    const admin = new S3Client({ endpoint: s3cfg.endpoint, region: s3cfg.region, forcePathStyle: true,
      credentials: { accessKeyId: s3cfg.access_key_id, secretAccessKey: s3cfg.secret_access_key } });
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    admin.destroy();
    const s3 = new S3Store(s3cfg, silentLogger());
    await s3.start(new AbortController().signal);
    out.push(...(await measure('s3 store (versitygw)', s3, body, reference)));
    await s3.stop();
    return out;
  },
};
