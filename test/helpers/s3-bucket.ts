/** A fresh bucket on the real S3 server per test, emptied and removed afterwards. */
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { TestContext } from 'node:test';
import { s3Settings, uniqueName } from './env.js';

/** A bucket made on the S3 server of the run, and how to empty and delete it. */
export interface MadeBucket {
  readonly name: string;
  readonly settings: ReturnType<typeof s3Settings>;
  remove(): Promise<void>;
}

/** Create bucket `name` on the S3 server of the run. */
export async function createBucket(name: string): Promise<MadeBucket> {
  const s = s3Settings();
  const client = new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
  });
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return {
    name,
    settings: s,
    async remove() {
      for (;;) {
        const page = await client.send(new ListObjectsV2Command({ Bucket: name }));
        for (const o of page.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: name, Key: o.Key }));
        if (!page.IsTruncated) break;
      }
      await client.send(new DeleteBucketCommand({ Bucket: name }));
      client.destroy();
    },
  };
}

/** Create bucket `fjord-test-<random>` and return its name; it is deleted when the test ends. */
export async function freshBucket(t: TestContext): Promise<string> {
  const bucket = await createBucket(uniqueName('fjord-test'));
  t.after(() => bucket.remove());
  return bucket.name;
}
