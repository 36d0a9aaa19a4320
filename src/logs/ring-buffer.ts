// A fixed-capacity buffer of log lines addressed by absolute line number; the oldest lines fall
// out (they stay in the log file on disk). Memory stays bounded whatever a job prints.

export interface LogLine {
  /** epoch ms when onedeck received the line */
  t: number;
  text: string;
  err?: boolean;
}

/** Lines longer than this are cut for display (the file keeps them whole). */
export const MAX_LINE_CHARS = 4096;

export class RingBuffer {
  private readonly lines: (LogLine | undefined)[];
  private next = 0; // absolute number of the next line
  private start = 0; // no line before this one is held (lines skipped unread are not)

  constructor(readonly capacity = 50_000) {
    this.lines = new Array(capacity);
  }

  push(line: LogLine): void {
    if (line.text.length > MAX_LINE_CHARS) {
      line = { ...line, text: `${line.text.slice(0, MAX_LINE_CHARS)} …[cut ${line.text.length - MAX_LINE_CHARS} chars]` };
    }
    this.lines[this.next % this.capacity] = line;
    this.next++;
  }

  /** Count `n` lines as pushed without holding them (a backlog read past, still on disk): the
   *  lines held so far are older than them, so they are let go too. */
  skip(n: number): void {
    if (n <= 0) return;
    this.next += n;
    this.start = this.next;
  }

  /** total lines ever pushed */
  total(): number {
    return this.next;
  }

  /** absolute number of the oldest line still held */
  first(): number {
    return Math.max(0, this.start, this.next - this.capacity);
  }

  /** lines pushed but no longer held */
  dropped(): number {
    return this.first();
  }

  get(n: number): LogLine | undefined {
    if (n < this.first() || n >= this.next) return undefined;
    return this.lines[n % this.capacity];
  }

  /** lines [from, to) that are still held */
  slice(from: number, to: number): LogLine[] {
    const out: LogLine[] = [];
    for (let n = Math.max(from, this.first()); n < Math.min(to, this.next); n++) out.push(this.lines[n % this.capacity]!);
    return out;
  }
}
