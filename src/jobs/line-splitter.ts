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

  write(chunk: string | Buffer): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const piece = nl === -1 ? text.slice(start) : text.slice(start, nl);
      this.add(piece);
      if (nl === -1) return;
      this.flush();
      start = nl + 1;
    }
  }

  end(): void {
    if (this.head || this.cut || this.pendingCR) this.flush();
  }

  private add(piece: string): void {
    if (!piece) return;
    if (this.pendingCR) {
      this.addKept('\r');
      this.pendingCR = false;
    }
    if (piece.endsWith('\r')) {
      this.pendingCR = true;
      piece = piece.slice(0, -1);
    }
    this.addKept(piece);
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
    this.pendingCR = false; // a CR before the newline is part of the line ending
    const text = this.cut && this.opts.maskPartial ? this.opts.maskPartial(this.head) : this.head;
    const line = { text, cut: this.cut };
    this.head = '';
    this.cut = 0;
    this.onLine(line);
  }
}
