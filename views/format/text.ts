// Width-exact text helpers (terminal columns, not string length) and age formatting.
import stringWidth from 'string-width';
import sliceAnsi from 'slice-ansi';
import type { Tone } from '../theme/theme.js';

/** one styled run of text inside a row */
export interface Seg {
  text: string;
  tone?: Tone;
}

export const width = (s: string): number => stringWidth(s);

/** cut to `w` columns, marking the cut with an ellipsis */
export function truncate(s: string, w: number): string {
  if (w <= 0) return '';
  if (stringWidth(s) <= w) return s;
  return `${sliceAnsi(s, 0, w - 1)}…`;
}

/** exactly `w` columns: cut or padded with spaces */
export function fit(s: string, w: number): string {
  const t = truncate(s, w);
  return t + ' '.repeat(Math.max(0, w - stringWidth(t)));
}

/** fit a row of segments into exactly `w` columns */
export function fitSegs(segs: Seg[], w: number): Seg[] {
  const out: Seg[] = [];
  let left = w;
  for (const s of segs) {
    if (left <= 0) break;
    const sw = stringWidth(s.text);
    if (sw <= left) {
      out.push(s);
      left -= sw;
    } else {
      out.push({ ...s, text: truncate(s.text, left) });
      left = 0;
    }
  }
  if (left > 0) out.push({ text: ' '.repeat(left) });
  return out;
}

/** "4s", "3m", "2h", "5d" */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** "3m12s", "1h04m" */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** a value older than three refresh intervals is stale: shown dim, with its age */
export function isStale(at: number | undefined, now: number, refreshSeconds: number): boolean {
  return at === undefined || now - at > Math.max(3 * refreshSeconds * 1000, 15_000);
}

export function clock(t: number): string {
  const d = new Date(t);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** how a key is shown in the footer and help */
export function keyLabel(k: string): string {
  const map: Record<string, string> = { enter: '⏎', escape: 'esc', pageUp: 'PgUp', pageDown: 'PgDn', up: '↑', down: '↓', home: 'Home', end: 'End', tab: 'tab' };
  if (map[k]) return map[k];
  if (k.startsWith('ctrl+')) return `^${k.slice(5)}`;
  return k;
}
