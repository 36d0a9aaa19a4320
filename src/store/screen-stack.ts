// The session's screen stack (UiState.stack), after k9s's internal/model/stack.go: push, pop,
// replace the top, back to the root, and listeners told which screens arrived and which left.
// Whatever changes the stack (these functions or a plain setState), the listeners hear of it, so
// a screen's resources start when it arrives and stop when it leaves, at no navigation site.
import type { Screen, UiState, UiStore } from './ui-store.js';

let seq = 0;
const nextKey = (): number => ++seq;

/** Push a screen, saving the current screen's selection and filter so `pop` restores them. */
export function pushScreen(ui: UiStore, screen: Screen): void {
  const s = ui.getState();
  const stack = s.stack.slice();
  stack[stack.length - 1] = { ...stack[stack.length - 1], selected: s.selected, filter: s.filter, filterInverted: s.filterInverted };
  ui.setState({ stack: [...stack, { ...screen, key: nextKey() }], selected: 0, filter: '', filterInverted: false, prompt: undefined });
}

/** Pop the top screen and restore the one underneath; false on the root screen. */
export function popScreen(ui: UiStore): boolean {
  const s = ui.getState();
  if (s.stack.length <= 1) return false;
  const stack = s.stack.slice(0, -1);
  const back = stack[stack.length - 1];
  ui.setState({ stack, selected: back.selected ?? 0, filter: back.filter ?? '', filterInverted: back.filterInverted ?? false });
  return true;
}

/** Replace the top screen with another (the one underneath keeps its saved selection). */
export function replaceScreen(ui: UiStore, screen: Screen): void {
  const s = ui.getState();
  if (s.stack.length <= 1) return pushScreen(ui, screen);
  ui.setState({ stack: [...s.stack.slice(0, -1), { ...screen, key: nextKey() }], selected: 0, filter: '', filterInverted: false, prompt: undefined });
}

/** Back to the root screen, with its saved selection and filter. */
export function resetToRoot(ui: UiStore): void {
  const s = ui.getState();
  const root = s.stack[0];
  ui.setState({ stack: [root], selected: root.selected ?? s.selected, filter: root.filter ?? '', filterInverted: root.filterInverted ?? false });
}

export interface StackListener {
  /** a screen arrived on the stack (pushed, or put in place of the top) */
  pushed?(screen: Screen, key: string, state: UiState): void;
  /** a screen left the stack (popped, replaced, or dropped by a jump to the root) */
  popped?(screen: Screen, key: string, state: UiState): void;
}

/** the identity of a screen on the stack: its key, or for a screen set without one, what it is */
export function screenKey(s: Screen, index: number): string {
  return s.key !== undefined ? `#${s.key}` : `${index}:${s.id}:${s.arg ?? ''}:${s.logId ?? ''}`;
}

/**
 * Tell `listener` about every screen that arrives on or leaves the stack of `ui`, starting with the
 * screens already there (as pushed). Returns the unsubscribe; it reports the screens still on the
 * stack as popped, so what they started stops.
 */
export function watchStack(ui: UiStore, listener: StackListener): () => void {
  let known = new Map<string, Screen>();
  const sync = (state: UiState) => {
    const now = new Map(state.stack.map((s, i) => [screenKey(s, i), s] as const));
    const before = known;
    known = now;
    // leaving first, top of the stack first, so what a new screen starts never meets what an old one stops
    for (const [k, s] of [...before].reverse()) if (!now.has(k)) listener.popped?.(s, k, state);
    for (const [k, s] of now) if (!before.has(k)) listener.pushed?.(s, k, state);
  };
  sync(ui.getState());
  let last = ui.getState().stack;
  const unsub = ui.subscribe((state) => {
    if (state.stack === last) return;
    last = state.stack;
    sync(state);
  });
  return () => {
    unsub();
    const state = ui.getState();
    for (const [k, s] of [...known].reverse()) listener.popped?.(s, k, state);
    known = new Map();
  };
}
