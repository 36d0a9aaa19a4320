// A fake terminal for full-screen tests: a stdout with columns/rows/isTTY and resize events that
// records every write and replays it onto a small screen emulator, and a raw-mode stdin stub.
import { EventEmitter } from 'node:events';

/** Just enough of a VT100 to replay what Ink writes: cursor moves, erases, the alternate screen. */
export class Screen {
  private main: string[][];
  private alt: string[][] | undefined;
  x = 0;
  y = 0;
  cursorVisible = true;
  wrap = true;
  constructor(public columns: number, public rows: number) {
    this.main = this.blank();
  }

  get altScreen(): boolean {
    return this.alt !== undefined;
  }

  private blank(): string[][] {
    return Array.from({ length: this.rows }, () => Array<string>(this.columns).fill(' '));
  }

  private get grid(): string[][] {
    return this.alt ?? this.main;
  }

  resize(columns: number, rows: number): void {
    const fix = (g: string[][]) => Array.from({ length: rows }, (_, y) => Array.from({ length: columns }, (_, x) => g[y]?.[x] ?? ' '));
    this.main = fix(this.main);
    if (this.alt) this.alt = fix(this.alt);
    this.columns = columns;
    this.rows = rows;
    this.clampCursor();
  }

  private clampCursor(): void {
    this.x = Math.max(0, Math.min(this.x, this.columns - 1));
    this.y = Math.max(0, Math.min(this.y, this.rows - 1));
  }

  private lineFeed(): void {
    this.x = 0;
    if (this.y < this.rows - 1) this.y++;
    else {
      this.grid.shift();
      this.grid.push(Array<string>(this.columns).fill(' '));
    }
  }

  private csi(params: string, final: string): void {
    const priv = params.startsWith('?');
    const nums = (priv ? params.slice(1) : params).split(';').map((p) => (p === '' ? undefined : Number(p)));
    const n = nums[0] ?? 1;
    const row = this.grid[this.y];
    switch (final) {
      case 'A': this.y -= n; break;
      case 'B': this.y += n; break;
      case 'C': this.x += n; break;
      case 'D': this.x -= n; break;
      case 'E': this.y += n; this.x = 0; break;
      case 'F': this.y -= n; this.x = 0; break;
      case 'G': this.x = n - 1; break;
      case 'H': case 'f': this.y = (nums[0] ?? 1) - 1; this.x = (nums[1] ?? 1) - 1; break;
      case 'K': {
        const mode = nums[0] ?? 0;
        for (let i = 0; i < this.columns; i++) if (mode === 2 || (mode === 0 && i >= this.x) || (mode === 1 && i <= this.x)) row[i] = ' ';
        break;
      }
      case 'J': {
        const mode = nums[0] ?? 0;
        if (mode >= 2) this.grid.forEach((r) => r.fill(' '));
        else if (mode === 0) {
          for (let i = this.x; i < this.columns; i++) row[i] = ' ';
          for (let y = this.y + 1; y < this.rows; y++) this.grid[y].fill(' ');
        }
        break;
      }
      case 'h': case 'l': {
        if (!priv) break;
        const on = final === 'h';
        for (const m of nums) {
          if (m === 25) this.cursorVisible = on;
          if (m === 7) this.wrap = on;
          if (m === 1049) {
            if (on && !this.alt) this.alt = this.blank();
            if (!on) this.alt = undefined;
          }
        }
        break;
      }
      default: break; // m (colours) and the rest do not move anything
    }
    this.clampCursor();
  }

  write(data: string): void {
    const chars = [...data];
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      if (ch === '\x1b') {
        const next = chars[i + 1];
        if (next === '[') {
          let j = i + 2;
          let params = '';
          while (j < chars.length && !/[@-~]/.test(chars[j])) params += chars[j++];
          this.csi(params, chars[j] ?? '');
          i = j;
        } else if (next === ']') {
          let j = i + 2;
          while (j < chars.length && chars[j] !== '\x07' && !(chars[j] === '\x1b' && chars[j + 1] === '\\')) j++;
          i = chars[j] === '\x07' ? j : j + 1;
        } else i += 1;
      } else if (ch === '\n') this.lineFeed();
      else if (ch === '\r') this.x = 0;
      else if (ch >= ' ') {
        if (this.x < this.columns) this.grid[this.y][this.x] = ch;
        if (this.x < this.columns - 1 || this.wrap) this.x++;
        if (this.x >= this.columns && this.wrap) this.lineFeed();
      }
    }
  }

  text(): string {
    return this.grid.map((r) => r.join('').trimEnd()).join('\n');
  }

  line(y: number): string {
    return this.grid[y]?.join('') ?? '';
  }
}

export class FakeTty extends EventEmitter {
  isTTY = true;
  readonly writes: string[] = [];
  readonly screen: Screen;
  /** the screen's text after each write, once `keepScreens()` was called: onedeck writes only the
   * columns that changed, so text seen on screen need not be in the bytes in one piece */
  readonly screens = new Set<string>();
  private keeping = false;
  constructor(public columns = 80, public rows = 24) {
    super();
    this.screen = new Screen(columns, rows);
  }

  write(chunk: string | Uint8Array, encoding?: unknown, cb?: () => void): boolean {
    const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.writes.push(s);
    this.screen.write(s);
    if (this.keeping) this.screens.add(this.screen.text());
    const done = typeof encoding === 'function' ? (encoding as () => void) : cb;
    done?.();
    return true;
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.screen.resize(columns, rows);
    this.emit('resize');
  }

  keepScreens(): this {
    this.keeping = true;
    this.screens.add(this.screen.text());
    return this;
  }

  /** whether `text` stood on the screen after some write since `keepScreens()` */
  shown(text: string): boolean {
    for (const t of this.screens) if (t.includes(text)) return true;
    return false;
  }

  output(from = 0): string {
    return this.writes.slice(from).join('');
  }

  getColorDepth(): number {
    return 8;
  }

  hasColors(): boolean {
    return true;
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  isRaw = false;
  private queue: string[] = [];
  setRawMode(on: boolean): this {
    this.isRaw = on;
    return this;
  }
  setEncoding(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  read(): string | null {
    return this.queue.shift() ?? null;
  }
  /** type keys (one chunk, as a terminal sends them) */
  press(data: string): void {
    this.queue.push(data);
    this.emit('readable');
  }
}

export const KEY = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  backspace: '\x7f',
  ctrlC: '\x03',
  ctrlS: '\x13',
};
