// The runner's write path: log text gathered into one write per batch instead of one write(2)
// per line. A batch goes out when it reaches `maxBytes` or at the end of the current turn of the
// event loop, so a reader following the file sees a line within a tick; `flush()` writes it out
// at once (the runner flushes before every status it saves).
import { writeSync } from 'node:fs';

export interface BatchedWriter {
  write(text: string): void;
  flush(): void;
}

const BIG = 16 * 1024;

export function batchedWriter(fd: number, maxBytes = 256 * 1024): BatchedWriter {
  let parts: string[] = [];
  let size = 0;
  let scheduled = false;
  /** one write(2) of `text`; a short write (a full disk, a signal) goes on from where it stopped */
  const out = (text: string) => {
    const wrote = writeSync(fd, text);
    if (wrote === text.length && text.length === Buffer.byteLength(text)) return;
    const buf = Buffer.from(text, 'utf8');
    let off = wrote;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  };
  const flush = () => {
    scheduled = false;
    if (parts.length === 0) return;
    const list = parts;
    parts = [];
    size = 0;
    // small pieces are joined into one write; a big one (a whole chunk of lines) is written as
    // it is rather than copied into a joined string first
    let run: string[] = [];
    for (const p of list) {
      if (p.length < BIG) run.push(p);
      else {
        if (run.length) out(run.join(''));
        run = [];
        out(p);
      }
    }
    if (run.length) out(run.join(''));
  };
  return {
    write(text) {
      parts.push(text);
      size += text.length;
      if (size >= maxBytes) return flush();
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
