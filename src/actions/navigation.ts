// The navigation model of one session: it listens to the session's screen stack and holds the
// logs of every screen on it (SCREENS[id].logs). A screen that arrives opens its logs, a screen
// that leaves (pop, replaced, a jump to the root) closes them; when what a screen shows changes
// (another focused job, a newer job) its logs follow. No navigation site opens or closes by hand.
import type { ClusterStore } from '../store/cluster-store.js';
import { screenKey, watchStack } from '../store/screen-stack.js';
import type { Screen, UiStore } from '../store/ui-store.js';
import type { LogAccess } from '../logs/log-registry.js';
import { SCREENS } from './screens.js';

/** Attach a session's UI store to a core's cluster store and log registry; returns the detach. */
export function attachNavigation(ui: UiStore, cluster: ClusterStore, logs: Pick<LogAccess, 'open' | 'close'>): () => void {
  /** per screen on the stack: the logs it holds */
  const held = new Map<string, { logs: string[] }>();
  const wanted = (s: Screen): string[] => SCREENS[s.id].logs?.(s, ui.getState(), cluster.getState()) ?? [];
  const hold = (k: string, next: string[]) => {
    const before = held.get(k)?.logs ?? [];
    // open the new ones first, so a log both screens want is never unloaded in between
    for (const id of next) if (!before.includes(id)) logs.open(id);
    for (const id of before) if (!next.includes(id)) logs.close(id);
    held.set(k, { logs: next });
  };
  const release = (k: string) => {
    for (const id of held.get(k)?.logs ?? []) logs.close(id);
    held.delete(k);
  };

  // a status-line message is about the screen it was said on: it goes when the screen changes
  // (a message said on arriving, as "apply started", is set after the move and stays)
  const clearFlash = () => {
    if (ui.getState().flash) ui.setState({ flash: undefined });
  };
  const unwatch = watchStack(ui, {
    pushed: (screen, k) => {
      clearFlash();
      hold(k, wanted(screen));
    },
    popped: (_screen, k) => {
      clearFlash();
      release(k);
    },
  });

  // what a screen holds can change without the stack moving: the focused job, a newer job
  const refresh = () => {
    ui.getState().stack.forEach((s, i) => {
      const k = screenKey(s, i);
      const cur = held.get(k);
      if (!cur) return;
      const next = wanted(s);
      if (next.length !== cur.logs.length || next.some((id, j) => id !== cur.logs[j])) hold(k, next);
    });
  };
  let lastJobs = cluster.getState().jobs;
  let lastOps = cluster.getState().operations;
  const unCluster = cluster.subscribe((c) => {
    // an operation's screen follows its current step's job
    if (c.jobs === lastJobs && c.operations === lastOps) return;
    lastJobs = c.jobs;
    lastOps = c.operations;
    refresh();
  });
  let lastFocus = ui.getState().focusedJob;
  const unUi = ui.subscribe((u) => {
    if (u.focusedJob === lastFocus) return;
    lastFocus = u.focusedJob;
    refresh();
  });

  return () => {
    unCluster();
    unUi();
    unwatch();
    for (const k of [...held.keys()]) release(k);
  };
}
