// What a move key acts on, as the screen shows it, and the one computation of scrolling windows
// for lists and documents, used by the actions (to move) and the views (to draw) alike.

/** The size of what a key acts on, passed by the key router with the action (ActionContext.viewport). */
export interface Viewport {
  /** rows of the list, log or document in view */
  rows: number;
  /** documents: how many lines the document has as rendered */
  lines?: number;
  /** logs: the width of a row, for wrapped lines */
  width?: number;
}

export type Move = number | 'top' | 'bottom' | 'pageUp' | 'pageDown';

/** how far a page moves: one row less than the view, so one row stays in sight */
export const pageSize = (rows: number): number => Math.max(1, rows - 1);

/** A position in 0..count-1 after a move over a view of `rows` rows. */
export function moveIndex(cur: number, move: Move, count: number, rows: number): number {
  let next = cur;
  if (move === 'top') next = 0;
  else if (move === 'bottom') next = count - 1;
  else if (move === 'pageUp') next -= pageSize(rows);
  else if (move === 'pageDown') next += pageSize(rows);
  else next += move;
  return Math.max(0, Math.min(next, count - 1));
}

/** The first row a list of `rows` rows shows so the selected item is in view. */
export function listTop(selected: number, rows: number): number {
  return selected < rows ? 0 : selected - rows + 1;
}

/** Positions a document's scroll can take: its first shown line goes from 0 to lines - rows. */
export function documentPositions(lines: number, rows: number): number {
  return Math.max(0, lines - rows + 1);
}

/** The first line a document of `lines` lines shows in `rows` rows at scroll position `selected`. */
export function documentTop(selected: number, lines: number, rows: number): number {
  return Math.max(0, Math.min(selected, lines - rows));
}
