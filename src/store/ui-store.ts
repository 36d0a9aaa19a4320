// The state of one screen session: where the operator is and what they typed. One per terminal,
// so several sessions (onedeck serve) can look at one cluster store independently.
import { createStore, type StoreApi } from 'zustand/vanilla';

/** every screen there is; what each one shows, lists and holds is the table in actions/screens.ts */
export const SCREEN_IDS = ['hosts', 'host', 'jobs', 'logs', 'hooklog', 'plan', 'help', 'doctor', 'ops', 'op'] as const;
export type ScreenId = (typeof SCREEN_IDS)[number];

export interface Screen {
  id: ScreenId;
  /** identity of this screen on the stack (set by push), so listeners can tell a new screen from a saved one */
  key?: number;
  /** host key for `host`/`hooklog`, job id for `logs`/`plan`, operation id for `op` */
  arg?: string;
  /** hook-log screens: the id of the tail this screen holds (opened on push, closed when it leaves) */
  logId?: string;
  /** selection and filter of this screen, saved when another screen is pushed over it */
  selected?: number;
  filter?: string;
  filterInverted?: boolean;
}

export type SortKey = 'name' | 'role' | 'verdict' | 'scaleway' | 'opennebula' | 'vms' | 'cpu' | 'mem' | 'ssh';

export interface PaneState {
  follow: boolean;
  /** first visible line (absolute line number) when not following */
  top: number;
  /** lines total when the operator stopped following, to count new ones */
  seenTotal: number;
  wrap: boolean;
  timestamps: boolean;
  search?: string;
  matchIndex?: number;
}

export interface Prompt {
  kind: 'filter' | 'command' | 'search' | 'confirm' | 'typed-confirm';
  text: string;
  /** for confirmations: what is asked, and the action to run on yes */
  question?: string;
  expect?: string;
  /** the action to run on yes, with the token of the confirmation the executor issued (it runs only with it) */
  onYes?: { action: string; args?: string[]; token: string };
}

export interface UiState {
  stack: Screen[];
  selected: number;
  filter: string;
  filterInverted: boolean;
  sort: SortKey;
  sortDesc: boolean;
  prompt?: Prompt;
  /** last message for this session (action refused, done, ...) */
  flash?: { level: 'info' | 'warn' | 'error'; text: string; at: number };
  panes: Record<string, PaneState>;
  /** the job whose log the main screen's log pane shows */
  focusedJob?: string;
  /** the operation this session started last (the headless twins follow it) */
  focusedOp?: string;
  /** which part of the main screen gets the scroll keys */
  focus?: 'table' | 'log';
  quitting: boolean;
  /** after `onedeck init`: the main screen shows the first-deployment steps until they are all done */
  firstDeploy?: boolean;
  /**
   * what an action computed (with I/O, in its `prepare`) for its confirmation to show: an
   * operation's preview. `confirm` reads it, pure; `run` uses `data`. Bound to the action and its
   * arguments, so a preview of another request is never confirmed by mistake.
   */
  preview?: { action: string; args: string[]; question: string; expect?: string; data: unknown; at: number };
  /** a message that needs more than one line (a broken onedeck.yaml): shown in a dialog until a key */
  dialog?: { title: string; lines: string[] };
}

export type UiStore = StoreApi<UiState>;

export const defaultPane = (): PaneState => ({ follow: true, top: 0, seenTotal: 0, wrap: false, timestamps: false });

export function createUiStore(initial: Partial<UiState> = {}): UiStore {
  return createStore<UiState>()(() => ({
    stack: [{ id: 'hosts', key: 0 }],
    selected: 0,
    filter: '',
    filterInverted: false,
    sort: 'name',
    sortDesc: false,
    panes: {},
    quitting: false,
    ...initial,
  }));
}

export function currentScreen(s: UiState): Screen {
  return s.stack[s.stack.length - 1];
}
