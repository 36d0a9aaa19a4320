// The host table's layout: which columns fit and how a cell is cut to its column. What each cell
// says (words, tone, age) is the core's (src/domain/host-cells.ts), shared with `onedeck status`.
// Columns drop by priority on narrow terminals (name and verdict stay).
import type { HostRow } from '../../src/domain/host.js';
import { verdictCell, type HostColumn } from '../../src/domain/host-cells.js';
import { fit } from './text.js';

/** a host column with its layout: the cell's words come from the core */
export type Column = HostColumn;

export const MARKER_WIDTH = 2;

/** a cell's text cut to its column: one space always separates it from the next column */
export function cellText(text: string, col: Column, last: boolean): string {
  return last ? fit(text, col.width) : `${fit(text, Math.max(0, col.width - 1))} `;
}

const VERDICT_MIN = 24;

const VERDICT_WANT = 40;

/** room the verdict asks for: its longest text, between 24 and 40 columns */
export function verdictWant(hosts: HostRow[]): number {
  return Math.min(VERDICT_WANT, Math.max(VERDICT_MIN, ...hosts.map((h) => verdictCell(h).text.length)));
}

/** the columns that fit in `width`, dropping by priority until the verdict gets `want` columns; the verdict takes what is left */
export function fitColumns(cols: Column[], width: number, want = VERDICT_MIN): Column[] {
  let kept = cols.slice();
  const used = () => MARKER_WIDTH + kept.reduce((a, c) => a + c.width, 0);
  while (used() + want > width) {
    const drop = kept.filter((c) => c.prio > 0).sort((a, b) => b.prio - a.prio)[0];
    if (!drop) break;
    kept = kept.filter((c) => c !== drop);
  }
  const rest = Math.max(8, width - used());
  return kept.map((c) => (c.id === 'verdict' ? { ...c, width: rest } : c));
}
