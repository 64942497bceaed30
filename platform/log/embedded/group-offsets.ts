/** Committed offsets of the embedded log's consumer groups: one JSON file per group, replaced atomically. */
import { mkdir, open, readFile, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** Per-group committed offsets, cached in memory and persisted on every commit. */
export class GroupOffsetStore {
  private readonly cache = new Map<string, Map<number, number>>();
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly dir: string) {}

  private path(groupId: string): string {
    return join(this.dir, `${encodeURIComponent(groupId)}.json`);
  }

  /** The committed offsets of a group (empty when it never committed). */
  async load(groupId: string): Promise<Map<number, number>> {
    let offsets = this.cache.get(groupId);
    if (!offsets) {
      offsets = new Map();
      try {
        const raw = JSON.parse(await readFile(this.path(groupId), 'utf8')) as Record<string, number>;
        for (const [p, o] of Object.entries(raw)) offsets.set(Number(p), o);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      this.cache.set(groupId, offsets);
    }
    return new Map(offsets);
  }

  /** Ids of every group that has committed offsets. */
  async groupIds(): Promise<string[]> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [...this.cache.keys()];
      throw err;
    }
    const ids = files.filter((f) => f.endsWith('.json')).map((f) => decodeURIComponent(f.slice(0, -5)));
    return [...new Set([...ids, ...this.cache.keys()])];
  }

  /** Merge `offsets` into the group's commits and persist them (write to a temp file, fsync, rename). */
  async commit(groupId: string, offsets: ReadonlyMap<number, number>): Promise<void> {
    const current = await this.load(groupId);
    for (const [p, o] of offsets) current.set(p, o);
    this.cache.set(groupId, current);
    const previous = this.writes.get(groupId) ?? Promise.resolve();
    const next = previous.then(() => this.persist(groupId));
    this.writes.set(groupId, next.catch(() => undefined));
    await next;
  }

  private async persist(groupId: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const snapshot = Object.fromEntries(this.cache.get(groupId) ?? new Map());
    const tmp = `${this.path(groupId)}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(snapshot));
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path(groupId));
  }
}
