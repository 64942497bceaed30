/** An exclusive lock on a directory for one process: a LOCK file holding the owner's pid. */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { FjordError } from '../../../schemas/index.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the lock of `dir`; a stale lock (its process gone) is taken over. Returns the release. */
export async function lockDirectory(dir: string, what: string): Promise<() => Promise<void>> {
  const path = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => unlink(path).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (owner === process.pid || (Number.isInteger(owner) && owner > 0 && alive(owner))) {
        throw new FjordError('log_unavailable', `${what} ${dir} is in use by process ${owner}`);
      }
      await unlink(path).catch(() => undefined);
    }
  }
  throw new FjordError('log_unavailable', `could not lock ${what} ${dir}`);
}
