// Splits a tool's output into blocks of whole lines, one block per chunk read from the pipe, so
// the runner masks and writes a 64 KiB chunk at once instead of a million lines one by one. A
// line cut by the chunk boundary is carried over to the next chunk (a secret or a `password=`
// pair spanning the boundary is masked whole); a line longer than `maxLine` keeps its head and
// counts the rest, in bounded memory. Line breaks are readline's: \n, \r\n and a lone \r, all
// written out as \n.

export interface BlockSink {
  /** one or more whole lines, each ending with \n and at most maxLine characters long */
  lines(text: string): void;
  /** one line longer than maxLine: its first maxLine characters, and how many were dropped */
  cut(head: string, dropped: number): void;
}

export class BlockSplitter {
  /** the current line's beginning (at most maxLine characters) */
  private carry = '';
  /** characters of the current line dropped past maxLine */
  private dropped = 0;
  private pendingCR = false;

  constructor(
    private readonly sink: BlockSink,
    private readonly maxLine: number,
  ) {}

  /** characters held for the current line */
  get buffered(): number {
    return this.carry.length;
  }

  write(chunk: string): void {
    let text = chunk;
    if (this.pendingCR) {
      // a \r ended the last chunk and the line with it: a \n right after it is the same break
      this.pendingCR = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    if (text.length === 0) return;
    if (text.includes('\r')) {
      this.pendingCR = text.endsWith('\r');
      text = text.replace(/\r\n?/g, '\n');
    }
    const first = text.indexOf('\n');
    if (first < 0) return this.hold(text);
    const last = text.lastIndexOf('\n');
    let from = 0;
    if (this.dropped || this.carry.length + first > this.maxLine) {
      // the line the last chunks began is too long: it goes out on its own, cut
      this.hold(text.slice(0, first));
      this.sink.cut(this.carry, this.dropped);
      this.carry = '';
      this.dropped = 0;
      from = first + 1;
    }
    if (from === 0 && this.carry) {
      // the line begun by the last chunk ends here: on its own, so the rest of the chunk goes on
      // as a slice of it, never copied into a joined string
      this.sink.lines(this.carry + text.slice(0, first + 1));
      this.carry = '';
      from = first + 1;
    }
    if (from <= last) {
      const body = text.slice(from, last + 1);
      if (body.length > this.maxLine && longLine(body, this.maxLine)) this.splitLong(body);
      else this.sink.lines(body);
    }
    if (last + 1 < text.length) this.hold(text.slice(last + 1));
  }

  /** the end of the stream: a last line without a line break still counts */
  end(): void {
    if (this.dropped) this.sink.cut(this.carry, this.dropped);
    else if (this.carry) this.sink.lines(`${this.carry}\n`);
    this.carry = '';
    this.dropped = 0;
  }

  /** add to the current (unfinished) line, keeping at most maxLine characters of it */
  private hold(piece: string): void {
    const room = this.maxLine - this.carry.length;
    if (piece.length <= room) this.carry += piece;
    else {
      this.carry += piece.slice(0, Math.max(0, room));
      this.dropped += piece.length - Math.max(0, room);
    }
  }

  /** whole lines (the carry is empty) of which at least one is too long: line by line */
  private splitLong(body: string): void {
    let start = 0;
    let run = 0; // start of the run of short lines not yet sent
    while (start < body.length) {
      const nl = body.indexOf('\n', start);
      if (nl - start > this.maxLine) {
        if (start > run) this.sink.lines(body.slice(run, start));
        this.hold(body.slice(start, nl));
        this.sink.cut(this.carry, this.dropped);
        this.carry = '';
        this.dropped = 0;
        run = nl + 1;
      }
      start = nl + 1;
    }
    if (run < body.length) this.sink.lines(body.slice(run));
  }
}

/** does `body` (whole lines) hold a line longer than `max`? */
function longLine(body: string, max: number): boolean {
  let start = 0;
  while (start < body.length) {
    const nl = body.indexOf('\n', start);
    if (nl - start > max) return true;
    start = nl + 1;
  }
  return false;
}
