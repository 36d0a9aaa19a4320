// Turning raw log lines into display rows: unsafe escapes stripped (colours kept unless NO_COLOR),
// timestamps, search highlights, wrapping. Only ever called for the lines in view.
import stripAnsi from 'strip-ansi';
import sliceAnsi from 'slice-ansi';
import type { LogLine, RingBuffer } from '../../src/logs/ring-buffer.js';
import type { PaneState } from '../../src/store/ui-store.js';
import { logTop, sanitize } from '../../src/logs/log-window.js';
import { width as sw, type Seg } from './text.js';
import { formatClock as clock } from '../../src/domain/time-format.js';

export { sanitize };

export interface RowOpts {
  width: number;
  wrap: boolean;
  timestamps: boolean;
  noColor: boolean;
  search?: string;
  current?: boolean;
}

function highlight(text: string, q: string, current: boolean): Seg[] {
  const out: Seg[] = [];
  const low = text.toLowerCase();
  const ql = q.toLowerCase();
  let i = 0;
  for (let at = low.indexOf(ql); at >= 0 && ql; at = low.indexOf(ql, at + ql.length)) {
    if (at > i) out.push({ text: text.slice(i, at) });
    out.push({ text: text.slice(at, at + ql.length), tone: current ? 'select' : 'match' });
    i = at + ql.length;
  }
  if (i < text.length) out.push({ text: text.slice(i) });
  return out;
}

/** display rows of one log line (one row, or several when wrapping) */
export function lineRows(line: LogLine, o: RowOpts): Seg[][] {
  const body = sanitize(line.text, !o.noColor);
  const prefix = o.timestamps ? `${clock(line.t)} ` : '';
  const plain = o.search ? stripAnsi(body) : body;
  const hit = !!o.search && plain.toLowerCase().includes(o.search.toLowerCase());
  const text = hit ? plain : body;
  const tone: Seg['tone'] = line.err ? 'warn' : undefined;
  const bodyW = Math.max(1, o.width - prefix.length);
  const chunks: string[] = [];
  if (o.wrap && sw(text) > bodyW) {
    const total = sw(text);
    for (let a = 0; a < total; a += bodyW) chunks.push(sliceAnsi(text, a, a + bodyW));
  } else chunks.push(text);
  return chunks.map((c, i) => {
    const head: Seg[] = prefix ? [{ text: i === 0 ? prefix : ' '.repeat(prefix.length), tone: 'dim' }] : [];
    return [...head, ...(hit ? highlight(c, o.search!, !!o.current) : [{ text: c, tone }])];
  });
}

export interface Window {
  rows: Seg[][];
  /** absolute number of the first line shown */
  top: number;
}

/**
 * The rows a pane shows, from the first line log-window.ts computes (the tail when following, else
 * `pane.top`): the same window the scroll keys computed. Exactly the lines in view are formatted.
 */
export function logWindow(buf: RingBuffer | undefined, pane: PaneState, height: number, o: Omit<RowOpts, 'current' | 'search'>): Window {
  if (!buf || height <= 0) return { rows: [], top: 0 };
  const total = buf.total();
  const top = logTop(buf, pane, { rows: height, width: o.width, wrap: o.wrap, timestamps: o.timestamps });
  const out: Seg[][] = [];
  for (let n = top; n < total && out.length < height; n++) {
    const l = buf.get(n);
    if (l) out.push(...lineRows(l, { ...o, search: pane.search, current: pane.matchIndex === n }));
  }
  return { rows: out.slice(0, height), top };
}

/** "1 412" */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
