// Splits a tool's output into lines in bounded memory: a line longer than `maxLine` keeps its
// head and counts the rest (a 50 MB base64 blob on one line must not fill the runner's memory).
// readline would hold the whole line until its newline.

export interface SplitLine {
  text: string;
  /** bytes (UTF-16 units) dropped past the cap; 0 when the line is whole */
  cut: number;
}

export interface LineSplitterOptions {
  /** the longest line kept whole (characters) */
  maxLine: number;
  /** masks a line that was cut (see Masker.partial); only used for cut lines */
  maskPartial?: (text: string) => string;
}

export class LineSplitter {
  private head = '';
  private cut = 0;
  private pendingCR = false;

  constructor(
    private readonly onLine: (line: SplitLine) => void,
    private readonly opts: LineSplitterOptions,
  ) {}

  /** characters held for the current line (at most maxLine) */
  get buffered(): number {
    return this.head.length;
  }

  /** Line breaks as readline sees them: \n, \r\n and a lone \r (progress output). */
  write(chunk: string | Buffer): void {
    let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (this.pendingCR) {
      // a \r ended the last chunk and the line with it: a \n right after it is the same break
      this.pendingCR = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    let start = 0;
    const breaks = /\r\n|\r|\n/g;
    for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
      this.addKept(text.slice(start, m.index));
      this.flush();
      start = m.index + m[0].length;
      if (m[0] === '\r' && start === text.length) this.pendingCR = true;
    }
    if (start < text.length) this.addKept(text.slice(start));
  }

  end(): void {
    if (this.head || this.cut) this.flush();
  }

  private addKept(piece: string): void {
    const room = this.opts.maxLine - this.head.length;
    if (piece.length <= room) this.head += piece;
    else {
      this.head += piece.slice(0, Math.max(0, room));
      this.cut += piece.length - Math.max(0, room);
    }
  }

  private flush(): void {
    const text = this.cut && this.opts.maskPartial ? this.opts.maskPartial(this.head) : this.head;
    const line = { text, cut: this.cut };
    this.head = '';
    this.cut = 0;
    this.onLine(line);
  }
}
