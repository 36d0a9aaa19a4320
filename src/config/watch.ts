// Watch onedeck.yaml for changes made elsewhere (a hand edit, an operation's edit, a sandbox
// reset): a stat poll (fs.watchFile, which sees a file replaced by rename as well as one written
// in place), and a call only when the text really changed.
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Call `onChange` each time `file`'s text changes; returns the stop. */
export function watchConfigFile(file: string, onChange: () => void, o: { intervalMs?: number } = {}): () => void {
  let last = read(file);
  const listener = (cur: Stats, prev: Stats) => {
    if (cur.mtimeMs === prev.mtimeMs && cur.size === prev.size && cur.ino === prev.ino) return;
    const now = read(file);
    if (now === undefined || now === last) return;
    last = now;
    onChange();
  };
  watchFile(file, { interval: o.intervalMs ?? 500, persistent: false }, listener);
  return () => unwatchFile(file, listener);
}
