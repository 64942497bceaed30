/**
 * Go's filepath.IsLocal on Unix (src/path/filepath/path_unix.go, unixIsLocal): a path that is not
 * empty, not absolute, and does not climb above its start once `.` and `..` are resolved — how
 * Loki's rules API refuses namespace and group names with a path traversal. Pure.
 */

/** filepath.IsLocal of `p`. */
export function isLocalPath(p: string): boolean {
  if (p === '' || p.startsWith('/')) return false;
  let depth = 0;
  for (const part of p.split('/')) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return false;
  }
  return true;
}
