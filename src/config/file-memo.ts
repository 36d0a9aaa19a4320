// A value read from files, read again only when one of them changed. The health sweep resolves
// the Scaleway credentials (a YAML file) and the secrets to mask (their files) on every sweep:
// each time a parse of the same bytes and ~0.4 MB of garbage. A stat of each file is enough to
// tell that nothing changed.
import { statSync } from 'node:fs';

const stamp = (file: string): string => {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return '-';
  }
};

/**
 * A memo of one value. `read(files, extra, compute)` returns what `compute` gave the last time
 * (or throws what it threw) while every file in `files` has the same inode, size and times and
 * `extra` (what else `compute` reads, such as environment variables) is equal; else it computes
 * again.
 */
export function fileMemo<T>(): (files: readonly string[], extra: string, compute: () => T) => T {
  let last: { key: string; ok: true; value: T } | { key: string; ok: false; err: unknown } | undefined;
  return (files, extra, compute) => {
    const key = `${files.map((f) => `${f}=${stamp(f)}`).join('\n')}\n${extra}`;
    if (!last || last.key !== key) {
      try {
        last = { key, ok: true, value: compute() };
      } catch (err) {
        last = { key, ok: false, err };
      }
    }
    if (!last.ok) throw last.err;
    return last.value;
  };
}
