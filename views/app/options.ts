// What a terminal session hands to the views: its streams and the core objects it shares.
import type { ClusterStore } from '../../src/store/cluster-store.js';
import type { UiStore } from '../../src/store/ui-store.js';
import type { ActionRegistry } from '../../src/actions/registry.js';
import type { Executor } from '../../src/actions/executor.js';
import type { Session } from '../../src/session.js';
import type { LogAccess } from '../../src/logs/log-registry.js';

export interface TuiOptions {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  cluster: ClusterStore;
  ui: UiStore;
  registry: ActionRegistry;
  executor: Executor;
  session: Session;
  /** read side of the log registry: what is loaded, never loads */
  logs: Pick<LogAccess, 'buffer'>;
  noColor: boolean;
  /** what time it is, for every age and duration on screen (tests pass a fixed clock); Date.now when absent */
  clock?: () => number;
  /** called after each frame Ink renders (written or not): tests count them, the bench could too */
  onFrame?: (renderMs: number) => void;
}
