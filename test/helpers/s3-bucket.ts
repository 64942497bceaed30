/** A fresh bucket on the real S3 server per test, emptied and removed afterwards. */
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { TestContext } from 'node:test';
import { s3Settings, uniqueName } from './env.js';

/** Create bucket `fjord-test-<random>` and return its name; it is deleted when the test ends. */
export async function freshBucket(t: TestContext): Promise<string> {
  const s = s3Settings();
  const client = new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
  });
  const bucket = uniqueName('fjord-test');
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  t.after(async () => {
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      for (const o of page.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
      if (!page.IsTruncated) break;
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    client.destroy();
  });
  return bucket;
}
