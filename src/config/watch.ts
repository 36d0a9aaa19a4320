// Watch onedeck.yaml for changes made elsewhere (a hand edit, an operation's edit, a sandbox
// reset): a stat poll (it sees a file replaced by rename as well as one written in place; the
// first look is taken at once, so no change after the call is missed), and a call only when the
// text really changed.
import { readFileSync, statSync } from 'node:fs';

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const stamp = (file: string): string => {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'absent';
  }
};

/** Call `onChange` each time `file`'s text changes; returns the stop. */
export function watchConfigFile(file: string, onChange: () => void, o: { intervalMs?: number } = {}): () => void {
  let seen = stamp(file);
  let last = read(file);
  const timer = setInterval(() => {
    const now = stamp(file);
    if (now === seen) return;
    seen = now;
    const text = read(file);
    if (text === undefined || text === last) return;
    last = text;
    onChange();
  }, o.intervalMs ?? 500);
  timer.unref?.();
  return () => clearInterval(timer);
}
