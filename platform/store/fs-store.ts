/**
 * The filesystem object store: a key is a file under the root directory. Writes go to a temp file
 * that is fsynced and then renamed (or hard-linked, for put-if-absent), so readers never see a
 * half-written object and a crash leaves either the old state or the new one.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { FjordError, errorMessage } from '../../schemas/index.js';
import { checkObjectKey } from './object-key.js';
import type { ListOptions, ListPage, ObjectInfo, ObjectStore } from './object-store.js';

const TMP_PREFIX = '.tmp-';

function failure(op: string, key: string, err: unknown): FjordError {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') {
    return new FjordError('object_not_found', `object ${key} not found`, { cause: err });
  }
  return new FjordError('object_store_unavailable', `filesystem store ${op} ${key}: ${errorMessage(err)}`, { cause: err });
}

/** ObjectStore on a local directory. */
export class FilesystemStore implements ObjectStore {
  readonly kind = 'filesystem';

  constructor(private readonly root: string) {}

  async start(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async stop(): Promise<void> {}

  private path(key: string): string {
    checkObjectKey(key);
    return join(this.root, ...key.split('/'));
  }

  private async writeTemp(path: string, body: Uint8Array): Promise<string> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `${TMP_PREFIX}${randomBytes(6).toString('hex')}`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(body);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    return tmp;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const path = this.path(key);
    try {
      await rename(await this.writeTemp(path, body), path);
    } catch (err) {
      throw failure('put', key, err);
    }
  }

  async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
    const path = this.path(key);
    let tmp: string | null = null;
    try {
      tmp = await this.writeTemp(path, body);
      await link(tmp, path);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw failure('put-if-absent', key, err);
    } finally {
      if (tmp) await unlink(tmp).catch(() => undefined);
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      throw failure('get', key, err);
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    try {
      const fh = await open(this.path(key), 'r');
      try {
        const buf = Buffer.allocUnsafe(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return buf.subarray(0, done);
      } finally {
        await fh.close();
      }
    } catch (err) {
      throw failure('get-range', key, err);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const st = await stat(this.path(key));
      return st.isFile() ? { key, sizeBytes: st.size, lastModifiedMs: st.mtimeMs } : null;
    } catch (err) {
      const e = failure('head', key, err);
      if (e.code === 'object_not_found') return null;
      throw e;
    }
  }

  private async walk(dir: string, out: ObjectInfo[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await this.walk(path, out);
      else if (e.isFile() && !e.name.startsWith(TMP_PREFIX)) {
        const st = await stat(path).catch(() => null);
        if (st) out.push({ key: relative(this.root, path).split(sep).join('/'), sizeBytes: st.size, lastModifiedMs: st.mtimeMs });
      }
    }
  }

  async listPage(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const maxKeys = options.maxKeys ?? 1000;
    const slash = prefix.lastIndexOf('/');
    const base = slash >= 0 ? join(this.root, ...prefix.slice(0, slash).split('/')) : this.root;
    const all: ObjectInfo[] = [];
    try {
      await this.walk(base, all);
    } catch (err) {
      throw failure('list', prefix, err);
    }
    const matching = all.filter((o) => o.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : 1));
    const entries: Array<{ name: string; object?: ObjectInfo }> = [];
    const seenPrefixes = new Set<string>();
    for (const o of matching) {
      const rest = o.key.slice(prefix.length);
      const cut = options.delimiter ? rest.indexOf(options.delimiter) : -1;
      if (cut >= 0) {
        const p = prefix + rest.slice(0, cut + (options.delimiter as string).length);
        if (!seenPrefixes.has(p)) {
          seenPrefixes.add(p);
          entries.push({ name: p });
        }
      } else entries.push({ name: o.key, object: o });
    }
    const after = options.token ?? null;
    const start = after === null ? 0 : entries.findIndex((e) => e.name > after);
    const page = start < 0 ? [] : entries.slice(start, start + maxKeys);
    const more = start >= 0 && start + maxKeys < entries.length;
    return {
      objects: page.flatMap((e) => (e.object ? [e.object] : [])),
      prefixes: page.filter((e) => !e.object).map((e) => e.name),
      nextToken: more ? (page[page.length - 1] as { name: string }).name : null,
    };
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.path(key));
    } catch (err) {
      const e = failure('delete', key, err);
      if (e.code !== 'object_not_found') throw e;
    }
  }
}
