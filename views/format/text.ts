// Width-exact text helpers (terminal columns, not string length). Ages, durations and clock times
// come from the core (src/domain/time-format.ts), the same for the TUI and the CLI.
import stringWidth from 'string-width';
import sliceAnsi from 'slice-ansi';
import type { Tone } from '../theme/theme.js';

/** one styled run of text inside a row */
export interface Seg {
  text: string;
  tone?: Tone;
}

export const width = (s: string): number => stringWidth(s);

/** lines of segments as one string (their texts and tones): what `useNow` compares between ticks */
export const segsKey = (lines: readonly (readonly { text: string; tone?: string }[])[]): string =>
  lines.map((l) => l.map((x) => `${x.tone ?? ''}:${x.text}`).join('\t')).join('\n');

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

/** how a key is shown in the footer and help */
export function keyLabel(k: string): string {
  const map: Record<string, string> = { enter: '⏎', escape: 'esc', pageUp: 'PgUp', pageDown: 'PgDn', up: '↑', down: '↓', home: 'Home', end: 'End', tab: 'tab' };
  if (map[k]) return map[k];
  if (k.startsWith('ctrl+')) return `^${k.slice(5)}`;
  return k;
}

/** a row of segments wrapped at `w` columns, continuation rows indented under the first segment
 *  when it is a label (the whole text stays visible: nothing is cut) */
export function wrapSegs(segs: Seg[], w: number): Seg[][] {
  const total = segs.reduce((a, s) => a + stringWidth(s.text), 0);
  if (w <= 0 || total <= w) return [segs];
  const label = segs.length > 1 ? stringWidth(segs[0].text) : 0;
  const indent = label > 0 && label < w / 2 ? label : 0;
  const rows: Seg[][] = [];
  let row: Seg[] = [];
  let used = 0;
  const push = () => {
    rows.push(row);
    row = indent ? [{ text: ' '.repeat(indent) }] : [];
    used = indent;
  };
  for (const s of segs) {
    let text = s.text;
    while (text.length) {
      const room = w - used;
      if (room <= 0) {
        push();
        continue;
      }
      const piece = sliceAnsi(text, 0, room);
      row.push({ ...s, text: piece });
      used += stringWidth(piece);
      text = text.slice(piece.length);
    }
  }
  if (row.length && (used > indent || rows.length === 0)) rows.push(row);
  return rows;
}
