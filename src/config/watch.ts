// Watch onedeck.yaml for changes made elsewhere (a hand edit, an operation's edit, a sandbox
// reset): a look at the file's stat whenever its directory changes (inotify: nothing to do while
// nothing changes, and a file replaced by rename is seen as well as one written in place), and a
// slow stat poll behind it for file systems without change events. The first look is taken at
// once, so no change after the call is missed; `onChange` is called only when the text changed.
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

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
  const look = (): void => {
    const now = stamp(file);
    if (now === seen) return;
    seen = now;
    const text = read(file);
    if (text === undefined || text === last) return;
    last = text;
    onChange();
  };
  let events: FSWatcher | undefined;
  let soon: NodeJS.Timeout | undefined;
  try {
    const name = basename(file);
    // a look 100 ms after the first event: an editor's write in place (truncate, then write) is
    // read whole, not half-written
    events = watch(dirname(file), { persistent: false }, (_kind, changed) => {
      if (soon || (changed && changed !== name)) return;
      soon = setTimeout(() => {
        soon = undefined;
        look();
      }, 100);
      soon.unref?.();
    });
    events.on('error', () => undefined);
  } catch {
    events = undefined; // no change events here: the poll alone
  }
  const timer = setInterval(look, o.intervalMs ?? (events ? 5000 : 500));
  timer.unref?.();
  return () => {
    clearInterval(timer);
    clearTimeout(soon);
    events?.close();
  };
}
