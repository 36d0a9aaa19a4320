// The runner's write path: log text gathered into one write per batch instead of one write(2)
// per line. A batch goes out when it reaches `maxBytes` or at the end of the current turn of the
// event loop, so a reader following the file sees a line within a tick; `flush()` writes it out
// at once (the runner flushes before every status it saves).
import { writeSync } from 'node:fs';

export interface BatchedWriter {
  write(text: string): void;
  flush(): void;
}

export function batchedWriter(fd: number, maxBytes = 256 * 1024): BatchedWriter {
  let parts: string[] = [];
  let size = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (parts.length === 0) return;
    const buf = Buffer.from(parts.length === 1 ? parts[0] : parts.join(''), 'utf8');
    parts = [];
    size = 0;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
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
