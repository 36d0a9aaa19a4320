// The one computation of a log pane's window: which line is at the top, where the tail starts when
// lines wrap, and where a move takes the pane. The log actions (to scroll) and the log pane (to
// draw) both call it, so what a key computes is what the screen shows. Pure, no I/O.
import stringWidth from 'string-width';
import type { PaneState } from '../store/ui-store.js';
import { pageSize, type Move } from '../store/viewport.js';
import type { LogLine, RingBuffer } from './ring-buffer.js';

// OSC, CSI, DCS/SOS/PM/APC strings, two-byte escapes, a lone ESC, C0 and C1 controls
const CONTROL = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -~]?|[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f-\x9f]/g;
const SGR = /^\x1b\[[0-9;:]*m$/;

/** Keep SGR colours (unless `keepColour` is false) and drop everything else that could move the cursor or change the terminal. */
export function sanitize(text: string, keepColour: boolean): string {
  let t = text;
  if (t.includes('\r')) {
    // progress output redraws with CR: keep what the terminal would finally show
    const parts = t.split('\r').filter((p) => p.length > 0);
    t = parts[parts.length - 1] ?? '';
  }
  if (t.includes('\t')) t = t.replace(/\t/g, '    ');
  return t.replace(CONTROL, (m) => (keepColour && SGR.test(m) ? m : ''));
}

/** cells of the "HH:MM:SS " prefix when timestamps are on */
export const TIME_PREFIX_WIDTH = 9;

/** How a pane lays lines out: its rows and row width (the viewport), and the pane's wrap/timestamps. */
export interface LogLayout {
  rows: number;
  width: number;
  wrap: boolean;
  timestamps: boolean;
}

type Lines = Pick<RingBuffer, 'first' | 'total' | 'get'>;

/** cells a line's text gets on a row, after the timestamp */
export const bodyWidth = (l: Pick<LogLayout, 'width' | 'timestamps'>): number => Math.max(1, l.width - (l.timestamps ? TIME_PREFIX_WIDTH : 0));

/** Rows one line takes: 1, or with wrap as many as its text needs. */
export function lineHeight(line: LogLine | undefined, l: LogLayout): number {
  if (!l.wrap || !line) return 1;
  return Math.max(1, Math.ceil(stringWidth(sanitize(line.text, false)) / bodyWidth(l)));
}

/** The first line of the tail: the lowest line from which every line to the end fits in the rows. */
export function tailTop(buf: Lines, l: LogLayout): number {
  const first = buf.first();
  const total = buf.total();
  const rows = Math.max(1, l.rows);
  if (!l.wrap) return Math.max(first, total - rows);
  let used = 0;
  let n = total;
  while (n > first) {
    const h = lineHeight(buf.get(n - 1), l);
    if (used + h > rows && n < total) break;
    used += h;
    n--;
  }
  return n;
}

/** The first line the pane shows: the tail when following, else its `top`, kept in bounds. */
export function logTop(buf: Lines, pane: Pick<PaneState, 'follow' | 'top'>, l: LogLayout): number {
  const maxTop = tailTop(buf, l);
  return pane.follow ? maxTop : Math.max(buf.first(), Math.min(pane.top, maxTop));
}

/** The line `rows` display rows away from `from` (at least one line when rows is not 0). */
function stepRows(buf: Lines, from: number, rows: number, l: LogLayout): number {
  let n = from;
  let used = 0;
  if (rows > 0) {
    while (n < buf.total() - 1) {
      const h = lineHeight(buf.get(n), l);
      if (used > 0 && used + h > rows) break;
      used += h;
      n++;
    }
  } else if (rows < 0) {
    while (n > buf.first()) {
      const h = lineHeight(buf.get(n - 1), l);
      if (used > 0 && used + h > -rows) break;
      used += h;
      n--;
    }
  }
  return n;
}

/** Where a move takes a pane: moving up pauses the follow, reaching the bottom resumes it. */
export function moveLog(buf: Lines, pane: Pick<PaneState, 'follow' | 'top'>, l: LogLayout, move: Move): { top: number; follow: boolean } {
  const first = buf.first();
  const maxTop = tailTop(buf, l);
  const cur = logTop(buf, pane, l);
  let top = cur;
  if (move === 'top') top = first;
  else if (move === 'bottom') top = maxTop;
  else if (move === 'pageUp') top = stepRows(buf, cur, -pageSize(l.rows), l);
  else if (move === 'pageDown') top = stepRows(buf, cur, pageSize(l.rows), l);
  else top += move;
  const down = move === 'bottom' || move === 'pageDown' || (typeof move === 'number' && move > 0);
  if (top >= maxTop && down) return { top: maxTop, follow: true };
  return { top: Math.max(first, Math.min(top, maxTop)), follow: false };
}
