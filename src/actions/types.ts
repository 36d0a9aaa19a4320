// What an action is, and what it may touch when it runs.
import type { ClusterStore } from '../store/cluster-store.js';
import type { ScreenId, UiStore } from '../store/ui-store.js';
import type { Services } from '../services.js';
import type { Session } from '../session.js';
import type { Viewport } from '../store/viewport.js';

export interface ActionContext {
  cluster: ClusterStore;
  ui: UiStore;
  session: Session;
  services: Services;
  /** the confirmation the operator gave ('y' or the typed text), when the action asked for one */
  confirmed?: string;
  /** how the operator reaches an action, for messages: its first key ("p", "enter"), else ":id" */
  keyOf: (actionId: string) => string;
  /** the size of the list, log or document the key acts on, as the screen shows it (the key router passes it) */
  viewport?: Viewport;
}

export interface Confirmation {
  question: string;
  /** text the operator must type (destructive runs); absent: a plain y/N */
  expect?: string;
}

export interface ActionDef {
  id: string;
  title: string;
  /** keys as the key router names them: 'r', 'enter', 'ctrl+s', 'G', '?' */
  keys: string[];
  /** screens where the keys work; 'global' works everywhere */
  scope: ScreenId[] | 'global';
  /** changes the cluster: refused in read-only sessions by the executor */
  mutating: boolean;
  /** shown in the footer on the screens of its scope */
  footer?: boolean;
  /** a word or two for a narrow footer ("plan", "deploy"); default: the title without its "(:usage)" */
  short?: string;
  /** how its `:` arguments complete on Tab: host names, job ids; absent: they do not */
  complete?: 'hosts' | 'jobs';
  /** extra names for the `:` command line */
  aliases?: string[];
  /** why it cannot run now (beyond read-only), or undefined */
  disabledReason?: (ctx: ActionContext) => string | undefined;
  /**
   * compute, with I/O, what `confirm` will show (an operation's preview) and keep it in the
   * session's UI store (`UiState.preview`). The executor runs it after the read-only and disabled
   * checks and before `confirm`, only when no answer comes with the run (so the question the
   * operator answers is the one they saw); a throw is the refusal, before anything changed.
   * `confirm` stays pure: it reads what prepare stored.
   */
  prepare?: (ctx: ActionContext, args: string[]) => Promise<void>;
  /** ask before running */
  confirm?: (ctx: ActionContext, args: string[]) => Confirmation | undefined;
  run: (ctx: ActionContext, args: string[]) => void | Promise<void>;
}
