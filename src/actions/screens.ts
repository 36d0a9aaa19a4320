// The one table of screens: what each is called, what its move keys move (a list, a document, a
// log), how long its list is, whether `/` filters it, and the logs it holds while it is on the
// stack. The key scopes, help, the navigation model and the views all read it.
import type { ClusterState } from '../store/cluster-store.js';
import { SCREEN_IDS, type Screen, type ScreenId, type UiState } from '../store/ui-store.js';
import { jobLogId } from '../logs/log-id.js';
import { paneJobId, visibleHosts, visibleJobs } from './ui-lists.js';
import { opJobId, visibleOps } from './op-lists.js';

export interface ScreenDef {
  id: ScreenId;
  title: string;
  /** what the move keys move: the selection of a list, the first line of a document, a log pane */
  scroll: 'list' | 'document' | 'log';
  /** list screens: how many items the list has as shown (filtered) */
  length?: (c: ClusterState, u: UiState) => number;
  /** `/` filters the list (or searches the log) and `!` inverts a list filter */
  filter?: boolean;
  /** the log keys (follow, wrap, search, save) work here */
  logKeys?: boolean;
  /** the logs this screen holds while it is on the stack; recomputed as the stores change */
  logs?: (screen: Screen, u: UiState, c: ClusterState) => string[];
}

/** the focused job's log (the newest job's when none is focused) */
const focusedJobLog = (_s: Screen, u: UiState, c: ClusterState): string[] => {
  const id = paneJobId(c, u);
  return id ? [jobLogId(id)] : [];
};

export const SCREENS: { [K in ScreenId]: ScreenDef & { id: K } } = {
  hosts: {
    id: 'hosts', title: 'hosts', scroll: 'list', filter: true, logKeys: true,
    length: (c, u) => visibleHosts(c, u).length,
    logs: focusedJobLog,
  },
  host: { id: 'host', title: 'host detail', scroll: 'document' },
  jobs: { id: 'jobs', title: 'command log', scroll: 'list', filter: true, length: (c, u) => visibleJobs(c, u).length },
  logs: { id: 'logs', title: 'job logs', scroll: 'log', filter: true, logKeys: true, logs: focusedJobLog },
  hooklog: { id: 'hooklog', title: 'hook logs', scroll: 'log', filter: true, logKeys: true, logs: (s) => (s.logId ? [s.logId] : []) },
  plan: { id: 'plan', title: 'plan review', scroll: 'document' },
  help: { id: 'help', title: 'help', scroll: 'document' },
  doctor: { id: 'doctor', title: 'doctor', scroll: 'document' },
  ops: { id: 'ops', title: 'operations', scroll: 'list', filter: true, length: (c, u) => visibleOps(c, u).length },
  // one operation: its steps, and the log of its current step's job (it follows the steps)
  op: {
    id: 'op', title: 'operation', scroll: 'log', logKeys: true,
    logs: (s, _u, c) => {
      const j = opJobId(c.operations.find((o) => o.id === s.arg));
      return j ? [jobLogId(j)] : [];
    },
  },
};

export const screenDef = (id: ScreenId): ScreenDef => SCREENS[id];

/** the screens whose definition matches, in table order (for action scopes) */
export function screensWhere(pred: (d: ScreenDef) => boolean): ScreenId[] {
  return SCREEN_IDS.filter((id) => pred(SCREENS[id]));
}
